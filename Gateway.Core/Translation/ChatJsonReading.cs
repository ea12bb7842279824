using System.Diagnostics;
using System.Text.Json;

namespace OllamaGateway.Translation;

/// <summary>
/// The small <see cref="Utf8JsonReader"/> steps shared by the chat request readers. Each reads the value the reader
/// is on, treats JSON null as absent (OpenAI clients send null for "not set"), and answers a wrong type with a 400
/// naming the full parameter path.
/// </summary>
internal static class ChatJsonReading
{
    /// <summary>
    /// Advances to the next property of the current object. Returns false at the object's end; otherwise the
    /// reader is left on the property's value and <paramref name="name"/> holds the key.
    /// </summary>
    public static bool ReadProperty(ref Utf8JsonReader reader, out string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        Debug.Assert(reader.TokenType == JsonTokenType.PropertyName, "The reader validates object structure.");
        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    public static TranslationError? ReadString(ref Utf8JsonReader reader, string param, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return RequestErrors.InvalidType(param, "a string", reader.TokenType);
        }

        value = reader.GetString();
        return null;
    }

    public static TranslationError? ReadBool(ref Utf8JsonReader reader, string param, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is not null || reader.TokenType == JsonTokenType.Null
            ? null
            : RequestErrors.InvalidType(param, "a boolean", reader.TokenType);
    }

    public static TranslationError? ReadNumber(ref Utf8JsonReader reader, string param, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return RequestErrors.InvalidType(param, "a number", reader.TokenType);
        }

        if (!reader.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            return RequestErrors.InvalidValue(param, "the number is out of range.");
        }

        value = number;
        return null;
    }

    public static TranslationError? ReadInt64(ref Utf8JsonReader reader, string param, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return RequestErrors.InvalidType(param, "an integer", reader.TokenType);
        }

        if (!reader.TryGetInt64(out long number))
        {
            return RequestErrors.NotAnInteger(param);
        }

        value = number;
        return null;
    }

    /// <summary>
    /// Reads an object value whole (a JSON Schema, tool parameters) as a detached <see cref="JsonElement"/> to copy
    /// into the native body. Null stays absent. Exact duplicate keys are refused at any depth: parsers disagree on
    /// which one wins (Go keeps the last, many others the first), so the schema Ollama enforces could differ from
    /// the one the client's own tooling validated.
    /// </summary>
    public static TranslationError? ReadJsonObject(ref Utf8JsonReader reader, string param, out JsonElement? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(param, "an object", reader.TokenType);
        }

        JsonElement element = JsonElement.ParseValue(ref reader);
        string? duplicate = FindDuplicateKey(element, param);
        if (duplicate is not null)
        {
            return RequestErrors.DuplicateKey(duplicate);
        }

        value = element;
        return null;
    }

    /// <summary>The path of the first key that repeats (exactly) within one object of <paramref name="element"/>, or null.</summary>
    public static string? FindDuplicateKey(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    string childPath = $"{path}.{property.Name}";
                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!seen.Add(property.Name))
                    {
                        return childPath;
                    }

                    string? inner = FindDuplicateKey(property.Value, childPath);
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    string? inner = FindDuplicateKey(item, $"{path}[{index}]");
                    if (inner is not null)
                    {
                        return inner;
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Checks that the value is an object (null counts as absent: <paramref name="present"/> is false). Used before
    /// walking a nested object's properties with <see cref="ReadProperty"/>.
    /// </summary>
    public static TranslationError? ExpectObject(ref Utf8JsonReader reader, string param, out bool present)
    {
        present = reader.TokenType == JsonTokenType.StartObject;
        return present || reader.TokenType == JsonTokenType.Null
            ? null
            : RequestErrors.InvalidType(param, "an object", reader.TokenType);
    }
}
