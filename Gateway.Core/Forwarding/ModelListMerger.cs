using System.Globalization;
using System.Text.Json;
using OllamaGateway.Policy;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Merges the <c>/api/tags</c> (or <c>/api/ps</c>) answers of several Ollama servers into one answer of the same shape,
/// <c>{"models":[...]}</c>: the union, one entry per model (names compared as Ollama compares them), the entry taken from
/// the most recently modified copy (<c>modified_at</c>; on <c>/api/ps</c>, the latest <c>expires_at</c>), in the order
/// first seen. Entries a server's <c>Models</c> globs exclude are left out: that server is not used for them. Each entry
/// is copied as its server wrote it.
/// </summary>
internal static class ModelListMerger
{
    /// <summary>The merged answer; throws <see cref="JsonException"/> when an answer is not Ollama's list shape.</summary>
    public static byte[] Merge(IReadOnlyList<(OllamaUpstream Upstream, byte[] Json)> answers)
    {
        var documents = new List<JsonDocument>(answers.Count);
        try
        {
            var order = new List<string>();
            var chosen = new Dictionary<string, (JsonElement Entry, DateTimeOffset Time)>(StringComparer.Ordinal);
            foreach (var (upstream, json) in answers)
            {
                var document = JsonDocument.Parse(json);
                documents.Add(document);
                foreach (var entry in Models(document.RootElement))
                {
                    var id = Id(entry);
                    if (id is null || !ModelName.SameModel(id, id) || !upstream.IsUsedFor(id))
                    {
                        continue;
                    }

                    var key = ModelName.Canonical(id);
                    var time = Time(entry);
                    if (!chosen.TryGetValue(key, out var current))
                    {
                        order.Add(key);
                        chosen[key] = (entry, time);
                    }
                    else if (time > current.Time)
                    {
                        chosen[key] = (entry, time);
                    }
                }
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("models");
                foreach (var key in order)
                {
                    chosen[key].Entry.WriteTo(writer);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    private static IEnumerable<JsonElement> Models(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Ollama's model list is not a JSON object.");
        }

        if (!root.TryGetProperty("models", out var models) || models.ValueKind == JsonValueKind.Null)
        {
            // Go writes an empty list as null (wire reference §1.7).
            return [];
        }

        return models.ValueKind == JsonValueKind.Array
            ? models.EnumerateArray().Where(entry => entry.ValueKind == JsonValueKind.Object)
            : throw new JsonException("Ollama's model list has no 'models' array.");
    }

    // The model's full name: "model", else "name" (both are normally the same).
    private static string? Id(JsonElement entry)
    {
        foreach (var field in (ReadOnlySpan<string>)["model", "name"])
        {
            if (entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } id)
            {
                return id;
            }
        }

        return null;
    }

    private static DateTimeOffset Time(JsonElement entry)
    {
        foreach (var field in (ReadOnlySpan<string>)["modified_at", "expires_at"])
        {
            if (entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }
        }

        return DateTimeOffset.MinValue;
    }
}
