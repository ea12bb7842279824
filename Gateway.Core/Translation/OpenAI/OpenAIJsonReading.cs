using System.Diagnostics;
using System.Text.Json;
using System.Text.Unicode;
using OllamaGateway.Json;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// The small <see cref="Utf8JsonReader"/> steps shared by the OpenAI request translators (chat, legacy completions).
/// Each reads the value the reader is on, treats JSON null as absent (OpenAI clients send null for "not set"), and
/// answers a wrong type with a 400 naming the full parameter path. Shared so that the same parameter (model, stop,
/// max_tokens, stream_options) is checked by the same rule on every endpoint.
/// </summary>
internal static class OpenAIJsonReading
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>
    /// Walks a request body that must be one JSON object: checks UTF-8, refuses duplicate, case-variant and unknown
    /// top-level keys (via <see cref="JsonKeyTracker"/> over <paramref name="topLevel"/>), hands each value to
    /// <paramref name="readValue"/>, and refuses anything after the object. Malformed JSON, wherever it is found,
    /// becomes the one invalid-JSON 400. Returns the first error, or null.
    /// </summary>
    public static TranslationError? ReadRootObject<TDraft>(
        ReadOnlySpan<byte> json, FieldSet topLevel, TDraft draft, TopLevelValueReader<TDraft> readValue)
    {
        // Checked up front so that string reads below can only fail on bad escapes, never on bad bytes.
        if (!Utf8.IsValid(json))
        {
            return RequestErrors.InvalidJson();
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            return ReadRootObject(ref reader, topLevel, draft, readValue);
        }
        catch (JsonException)
        {
            return RequestErrors.InvalidJson();
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for an escaped lone surrogate ("\ud800"); the token type is
            // always checked before reading, so this is the only way here.
            return RequestErrors.InvalidJson();
        }
    }

    private static TranslationError? ReadRootObject<TDraft>(
        ref Utf8JsonReader reader, FieldSet topLevel, TDraft draft, TopLevelValueReader<TDraft> readValue)
    {
        if (!reader.Read())
        {
            return RequestErrors.InvalidJson();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return reader.Read() ? RequestErrors.InvalidJson() : RequestErrors.NotAnObject();
        }

        var keys = new JsonKeyTracker(topLevel);
        while (ReadProperty(ref reader, out string name))
        {
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), name) ?? readValue(ref reader, name, draft);
            if (error is not null)
            {
                return error;
            }
        }

        // Anything after the root object is not JSON (a second value, garbage): Read throws on it.
        return reader.Read() ? RequestErrors.InvalidJson() : null;
    }
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

    /// <summary>
    /// Reads a top-level parameter that chat and legacy completions take the same way into <paramref name="draft"/>.
    /// Returns false, reading nothing, when <paramref name="name"/> is not one of them; otherwise
    /// <paramref name="error"/> is the 400 to answer, or null.
    /// </summary>
    public static bool TryReadSharedValue(
        ref Utf8JsonReader reader, string name, IOpenAIRequestDraft draft, FieldSet streamOptionKeys, out TranslationError? error)
    {
        switch (name)
        {
            case "model":
                error = ReadModel(ref reader, name, out string? model);
                draft.Model = model;
                return true;
            case "stream":
                error = ReadBool(ref reader, name, out bool? stream);
                draft.Stream = stream;
                return true;
            case "stream_options":
                error = ReadStreamOptions(ref reader, streamOptionKeys, out bool? includeUsage);
                draft.IncludeUsage = includeUsage;
                return true;
            case "temperature":
                error = ReadNumber(ref reader, name, out double? temperature);
                draft.Temperature = temperature;
                return true;
            case "top_p":
                error = ReadNumber(ref reader, name, out double? topP);
                draft.TopP = topP;
                return true;
            case "presence_penalty":
                error = ReadNumber(ref reader, name, out double? presence);
                draft.PresencePenalty = presence;
                return true;
            case "frequency_penalty":
                error = ReadNumber(ref reader, name, out double? frequency);
                draft.FrequencyPenalty = frequency;
                return true;
            case "max_tokens":
                error = ReadTokenLimit(ref reader, name, out int? maxTokens);
                draft.MaxTokens = maxTokens;
                return true;
            case "seed":
                error = ReadInt64(ref reader, name, out long? seed);
                draft.Seed = seed;
                return true;
            case "stop":
                error = ReadStop(ref reader, name, out List<string>? stop);
                draft.Stop = stop;
                return true;
            case "user":
                error = ReadString(ref reader, name, out string? user);
                draft.User = user;
                return true;
            default:
                error = null;
                return false;
        }
    }

    /// <summary><c>model</c>: a non-empty string, or null (absent; the missing-parameter check reports it).</summary>
    public static TranslationError? ReadModel(ref Utf8JsonReader reader, string param, out string? model)
    {
        TranslationError? error = ReadString(ref reader, param, out model);
        if (error is null && model is { Length: 0 })
        {
            model = null;
            return RequestErrors.InvalidValue(param, "the model name must not be empty.");
        }

        return error;
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
                        // Ollama's chat layer drops non-strings silently and its generate layer answers 400; a client
                        // that sent one expects it to apply, so both endpoints refuse it, naming the item.
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

    /// <summary>
    /// <c>stream_options</c>: an object whose keys are <paramref name="known"/> (include_usage, include_obfuscation),
    /// or null. <paramref name="includeUsage"/> is null when not given.
    /// </summary>
    public static TranslationError? ReadStreamOptions(ref Utf8JsonReader reader, FieldSet known, out bool? includeUsage)
    {
        const string Path = "stream_options";
        includeUsage = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(Path, "an object", reader.TokenType);
        }

        var keys = new JsonKeyTracker(known);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            if (error is null)
            {
                switch (name)
                {
                    case "include_usage":
                        error = ReadBool(ref reader, param, out includeUsage);
                        break;
                    case "include_obfuscation":
                        // OpenAI pads chunks against side channels; Ollama has no such thing. Type-checked, dropped.
                        error = ReadBool(ref reader, param, out _);
                        break;
                    default:
                        error = RequestErrors.Unsupported(param);
                        break;
                }
            }

            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }
}
