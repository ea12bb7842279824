using System.Diagnostics;
using System.Text.Json;

namespace OllamaGateway.Translation.Completions;

/// <summary>
/// Typed reads of one request value from a <see cref="Utf8JsonReader"/> positioned on it, each returning the 400 to
/// answer or null. The same rules as the chat walker's (null means absent, integers must be whole, numbers finite),
/// written here because those helpers are private to <see cref="ChatRequestTranslator"/>.
/// </summary>
internal static class CompletionValueReader
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

    /// <summary>A string, or null.</summary>
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

    /// <summary>A boolean, or null.</summary>
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

    /// <summary>A finite number, or null.</summary>
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

    /// <summary>A whole number that fits in 64 bits, or null.</summary>
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

    /// <summary>A token limit: a whole number of at least 1 that fits in 32 bits, or null.</summary>
    public static TranslationError? ReadTokenLimit(ref Utf8JsonReader reader, string param, out int? value)
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

        if (!reader.TryGetInt32(out int number))
        {
            return RequestErrors.NotAnInteger(param);
        }

        // Natively -1 and -2 mean "unlimited" and "fill the context": a negative or zero OpenAI limit must not
        // turn into either.
        if (number < 1)
        {
            return RequestErrors.InvalidValue(param, "the limit must be at least 1.");
        }

        value = number;
        return null;
    }

    /// <summary>
    /// <c>stop</c>: a string or an array of strings, normalised to a list because native <c>options.stop</c> must
    /// be an array (a bare string is a typed-option error Ollama reports as HTTP 500). Null and <c>[]</c> mean absent.
    /// </summary>
    public static TranslationError? ReadStop(ref Utf8JsonReader reader, string param, out List<string>? stop)
    {
        stop = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                string single = reader.GetString()!;
                if (single.Length == 0)
                {
                    return RequestErrors.InvalidValue(param, "stop sequences must not be empty.");
                }

                stop = [single];
                return null;
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        // Ollama's layer answers 400 for a non-string item; so do we, naming the item.
                        return RequestErrors.InvalidType($"{param}[{list.Count}]", "a string", reader.TokenType);
                    }

                    string item = reader.GetString()!;
                    if (item.Length == 0)
                    {
                        return RequestErrors.InvalidValue($"{param}[{list.Count}]", "stop sequences must not be empty.");
                    }

                    list.Add(item);
                }

                // An empty native stop list would replace the model's own stop tokens with none: treat [] as absent.
                stop = list.Count == 0 ? null : list;
                return null;
            default:
                return RequestErrors.InvalidType(param, "a string or an array of strings", reader.TokenType);
        }
    }
}
