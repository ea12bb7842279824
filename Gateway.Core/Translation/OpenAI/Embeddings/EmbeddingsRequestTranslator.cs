using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using OllamaGateway.Validation;
using OllamaGateway.Json;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI.Embeddings;

/// <summary>
/// Checks an OpenAI <c>POST /v1/embeddings</c> body and writes the <c>POST /api/embed</c> body that Ollama's own
/// <c>/v1</c> layer would send (wire reference §3.7): only <c>model</c>, <c>input</c> and <c>dimensions</c>.
/// Every refusal is a 400 the caller writes as an OpenAI error object.
/// </summary>
internal static class EmbeddingsRequestTranslator
{
    private const string ModelKey = "model";
    private const string InputKey = "input";
    private const string EncodingFormatKey = "encoding_format";
    private const string DimensionsKey = "dimensions";
    private const string UserKey = "user";

    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode(ModelKey);
    private static readonly JsonEncodedText s_input = JsonEncodedText.Encode(InputKey);
    private static readonly JsonEncodedText s_dimensions = JsonEncodedText.Encode(DimensionsKey);

    // The body only ever goes to Ollama, never into HTML, so non-ASCII text need not be \u-escaped: escaping it
    // would make CJK input up to six times larger. Quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Strict JSON, as OpenAI's server and Go's encoding/json both require: no comments, no trailing commas.
    private static readonly JsonReaderOptions s_readerOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    private static readonly TranslationError s_invalidJson = new("We could not parse the JSON body of your request: it is not valid JSON.", null);

    /// <summary>
    /// Translates the client's body. Exactly one of the two results is non-null.
    /// </summary>
    public static (EmbeddingsTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> openAiJson)
    {
        try
        {
            return TranslateCore(openAiJson);
        }
        catch (JsonException)
        {
            // Utf8JsonReader reports malformed JSON (including an empty body) as JsonException.
            return (null, s_invalidJson);
        }
    }

    private static (EmbeddingsTranslation? Translation, TranslationError? Error) TranslateCore(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_readerOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail("The request body must be a JSON object.", null);
        }

        string? model = null;
        List<string>? inputs = null;
        var base64 = false;
        int? dimensions = null;
        string? user = null;

        // Repeats (as Go folds keys) are refused; a case variant of a known field needs no check of its own here,
        // since every key but the five exact names is refused below as unsupported.
        var keys = new JsonKeyTracker(known: null);

        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (!TryGetString(ref reader, out var key))
            {
                return (null, s_invalidJson);
            }

            if (!keys.Add(key).IsOk)
            {
                return Fail($"Duplicate key '{ClientText.Quote(key)}' in the request body: each parameter may appear only once, whatever its letter case.", ClientText.Quote(key));
            }

            Read(ref reader);

            TranslationError? error;
            switch (key)
            {
                case ModelKey:
                    error = ReadModel(ref reader, out model);
                    break;
                case InputKey:
                    error = ReadInput(ref reader, out inputs);
                    break;
                case EncodingFormatKey:
                    error = ReadEncodingFormat(ref reader, out base64);
                    break;
                case DimensionsKey:
                    error = ReadDimensions(ref reader, out dimensions);
                    break;
                case UserKey:
                    error = ReadUser(ref reader, out user);
                    break;
                default:
                    // No silent drops: a field we cannot honour (token ids, a vendor option, a typo such as
                    // "MODEL") is refused rather than ignored, so the client learns it had no effect.
                    // The wording is OpenAI's own for an unknown parameter.
                    error = new TranslationError($"Unrecognized request argument supplied: {ClientText.Quote(key)}", ClientText.Quote(key));
                    break;
            }

            if (error is not null)
            {
                return (null, error);
            }
        }

        // Anything after the closing brace (a second object, stray text) makes the body invalid JSON.
        if (reader.Read())
        {
            return (null, s_invalidJson);
        }

        if (string.IsNullOrEmpty(model))
        {
            return Fail("You must provide a model parameter.", ModelKey);
        }

        if (inputs is null)
        {
            return Fail("'input' is a required property.", InputKey);
        }

        var body = WriteOllamaBody(model, inputs, dimensions);
        return (new EmbeddingsTranslation(model, base64, inputs.Count, body, user), null);
    }

    private static TranslationError? ReadModel(ref Utf8JsonReader reader, out string? model)
    {
        model = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return TryGetString(ref reader, out model) ? null : s_invalidJson;
            default:
                return new TranslationError("Invalid type for 'model': expected a string.", ModelKey);
        }
    }

    private static TranslationError? ReadInput(ref Utf8JsonReader reader, out List<string>? inputs)
    {
        inputs = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // Ollama ref: a lone string, even "", is sent as a one-element array.
                if (!TryGetString(ref reader, out var single))
                {
                    return s_invalidJson;
                }

                inputs = [single];
                return null;

            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (true)
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        break;
                    }

                    if (reader.TokenType == JsonTokenType.String)
                    {
                        if (!TryGetString(ref reader, out var item))
                        {
                            return s_invalidJson;
                        }

                        list.Add(item);
                        continue;
                    }

                    // OpenAI also takes token ids (int[] or int[][]); /api/embed embeds text only and answers
                    // 400 "invalid input type" (wire reference §1.5), so say why here instead.
                    return list.Count == 0 && IsTokenArrayStart(ref reader)
                        ? new TranslationError("Token arrays are not supported for 'input': Ollama embeds text only, so send a string or an array of strings.", InputKey)
                        : new TranslationError($"Invalid type for 'input[{list.Count}]': expected a string.", InputKey);
                }

                if (list.Count == 0)
                {
                    // Ollama ref answers "invalid input" for []; native /api/embed would load the model and
                    // return no vectors, which no OpenAI client expects.
                    return new TranslationError("'input' must not be an empty array: send at least one string.", InputKey);
                }

                inputs = list;
                return null;

            case JsonTokenType.Null:
                return new TranslationError("'input' is a required property.", InputKey);

            default:
                return new TranslationError("Invalid type for 'input': expected a string or an array of strings.", InputKey);
        }
    }

    // Called on the first non-string item of the input array: a number (int[]) or an array of numbers (int[][]).
    private static bool IsTokenArrayStart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number)
            {
                return false;
            }
        }
    }

    private static TranslationError? ReadEncodingFormat(ref Utf8JsonReader reader, out bool base64)
    {
        base64 = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                if (!TryGetString(ref reader, out var format))
                {
                    return s_invalidJson;
                }

                // Ollama ref compares case-insensitively (strings.EqualFold) and treats "" as the default, float.
                if (format.Length == 0 || string.Equals(format, "float", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                if (string.Equals(format, "base64", StringComparison.OrdinalIgnoreCase))
                {
                    base64 = true;
                    return null;
                }

                return InvalidEncodingFormat(format);
            default:
                return InvalidEncodingFormat(reader.TokenType switch
                {
                    JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.StartArray => "[...]",
                    _ => "{...}",
                });
        }
    }

    // The message is Ollama ref's, word for word (wire reference §3.7).
    private static TranslationError InvalidEncodingFormat(string value) =>
        new($"Invalid value for 'encoding_format' = {ClientText.Quote(value)}. Supported values: ['float', 'base64'].", EncodingFormatKey);

    private static TranslationError? ReadDimensions(ref Utf8JsonReader reader, out int? dimensions)
    {
        dimensions = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            // Go decodes null into the zero value, which /api/embed reads as "no truncation".
            return null;
        }

        // TryGetInt32 refuses 3.0, 1e2 and anything beyond int: Go's decoder refuses them for an int field too.
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value) || value <= 0)
        {
            var shown = reader.TokenType == JsonTokenType.Number ? ClientText.Quote(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)) : "a non-number";
            return new TranslationError($"Invalid 'dimensions': expected a positive integer, but got {shown} instead.", DimensionsKey);
        }

        dimensions = value;
        return null;
    }

    private static TranslationError? ReadUser(ref Utf8JsonReader reader, out string? user)
    {
        user = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return TryGetString(ref reader, out user) ? null : s_invalidJson;
            default:
                return new TranslationError("Invalid type for 'user': expected a string.", UserKey);
        }
    }

    private static byte[] WriteOllamaBody(string model, List<string> inputs, int? dimensions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            // Exactly the fields Ollama ref forwards (wire reference §3.7): no truncate, keep_alive or options, so
            // the server's defaults (truncate=true, OLLAMA_KEEP_ALIVE) apply as they would behind Ollama's own /v1.
            writer.WriteStartObject();
            writer.WriteString(s_model, model);
            writer.WriteStartArray(s_input);
            foreach (var input in inputs)
            {
                writer.WriteStringValue(input);
            }

            writer.WriteEndArray();
            if (dimensions is { } value)
            {
                writer.WriteNumber(s_dimensions, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        // The whole body is in hand (isFinalBlock), so running out of tokens means the JSON is truncated.
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of the request body.");
        }
    }

    private static bool TryGetString(ref Utf8JsonReader reader, [NotNullWhen(true)] out string? value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // GetString refuses invalid UTF-8 and lone surrogate escapes such as "\uD800": text that is not text.
            value = null;
            return false;
        }
    }

    private static (EmbeddingsTranslation? Translation, TranslationError? Error) Fail(string message, string? param) =>
        (null, new TranslationError(message, param));
}
