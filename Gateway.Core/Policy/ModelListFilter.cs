using System.Text.Json;

namespace OllamaGateway.Policy;

/// <summary>
/// Removes from Ollama's <c>/api/tags</c> or <c>/api/ps</c> answer every model a key may not use, so a key
/// restricted to some models does not learn which others exist. Every other field is kept as Ollama sent it.
/// </summary>
internal static class ModelListFilter
{
    /// <summary>
    /// Whether <paramref name="json"/> may name a cloud model: false only when no spelling of <c>cloud</c> occurs in it,
    /// in any letter case (a cloud model's name must contain one, <see cref="CloudModelName"/>), and no escape
    /// (<c>\u…</c>) could hide one. A list for default rights that cannot name one is passed on as Ollama wrote it,
    /// without being parsed and written again.
    /// </summary>
    public static bool MayNameCloudModel(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) >= 0)
        {
            return true;
        }

        var rest = json;
        while (true)
        {
            var at = rest.IndexOfAny((byte)'c', (byte)'C');
            if (at < 0 || rest.Length - at < 5)
            {
                return false;
            }

            if (System.Text.Ascii.EqualsIgnoreCase(rest.Slice(at, 5), "cloud"u8))
            {
                return true;
            }

            rest = rest[(at + 1)..];
        }
    }

    /// <summary>Returns the filtered answer; throws <see cref="JsonException"/> when the answer is not Ollama's list shape.</summary>
    public static byte[] Filter(ReadOnlySpan<byte> json, ModelAccess access)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            // Stryker disable once all : the message is never shown; the caller answers 502 with its own
            throw new JsonException("Ollama's model list is not a JSON object.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("models") && property.Value.ValueKind == JsonValueKind.Array)
                {
                    writer.WriteStartArray(property.Name);
                    foreach (var model in property.Value.EnumerateArray())
                    {
                        if (IsAllowed(model, access))
                        {
                            model.WriteTo(writer);
                        }
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // Both names must be allowed when both are present: they should agree, and if they do not, deny.
    private static bool IsAllowed(JsonElement model, ModelAccess access)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var any = false;
        foreach (var field in (ReadOnlySpan<string>)["model", "name"])
        {
            if (model.TryGetProperty(field, out var value))
            {
                if (value.ValueKind != JsonValueKind.String || !access.Allows(value.GetString()!))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }
}
