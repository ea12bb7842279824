using OllamaGateway.Json;
using System.Text.Json;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;
using OllamaGateway.Translation.OpenAI;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Reads <c>response_format</c> into native <c>format</c> (reference §3.2): <c>text</c> → nothing, <c>json_object</c> →
/// <c>"json"</c>, <c>json_schema</c> → the schema object itself (Ollama takes a JSON Schema in <c>format</c> since v0.5.0).
/// </summary>
internal static class ChatResponseFormatReader
{
    private static readonly JsonElement JsonMode = JsonElement.Parse("\"json\"");

    /// <summary>Reads the value; <paramref name="format"/> is null when no native format applies.</summary>
    public static TranslationError? Read(ref Utf8JsonReader reader, out JsonElement? format)
    {
        const string Path = "response_format";
        format = null;
        TranslationError? error = ExpectObject(ref reader, Path, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        string? type = null;
        JsonElement? schema = null;
        bool sawJsonSchema = false;
        var keys = new JsonKeyTracker(ChatRequestFields.ResponseFormat);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Path}.{name}";
            error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "type" => ReadString(ref reader, param, out type),
                "json_schema" => ReadJsonSchema(ref reader, param, out schema, out sawJsonSchema),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        switch (type)
        {
            case null:
                return RequestErrors.Missing($"{Path}.type");
            case "text":
            case "json_object":
                if (sawJsonSchema)
                {
                    return RequestErrors.InvalidValue($"{Path}.json_schema", $"only allowed when type is 'json_schema'.");
                }

                format = type == "json_object" ? JsonMode : null;
                return null;
            case "json_schema":
                if (!sawJsonSchema)
                {
                    return RequestErrors.Missing($"{Path}.json_schema");
                }

                format = schema;
                return null;
            default:
                return RequestErrors.InvalidValue($"{Path}.type", $"'{ClientText.Quote(type)}' is not one of 'text', 'json_object', 'json_schema'.");
        }
    }

    private static TranslationError? ReadJsonSchema(ref Utf8JsonReader reader, string path, out JsonElement? schema, out bool present)
    {
        schema = null;
        TranslationError? error = ExpectObject(ref reader, path, out present);
        if (error is not null || !present)
        {
            return error;
        }

        string? name = null;
        var keys = new JsonKeyTracker(ChatRequestFields.JsonSchema);
        while (ReadProperty(ref reader, out string key))
        {
            string param = $"{path}.{key}";
            error = RequestErrors.ForKey(keys.Add(key), param);
            error ??= key switch
            {
                "name" => ReadString(ref reader, param, out name),
                "schema" => ReadJsonObject(ref reader, param, out schema),

                // Dropped, as Ollama's layer drops them: the description only guides OpenAI's model, and Ollama's
                // grammar always enforces the schema, which is what strict asks for.
                "description" => ReadString(ref reader, param, out _),
                "strict" => ReadBool(ref reader, param, out _),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (name is null)
        {
            return RequestErrors.Missing($"{path}.name");
        }

        if (!ChatToolsReader.IsValidFunctionName(name))
        {
            return RequestErrors.InvalidValue($"{path}.name", "schema names must match ^[a-zA-Z0-9_-]{1,64}$.");
        }

        // OpenAI lets schema be omitted; Ollama's layer then sends no format and the model answers free text. A client
        // that asked for structured output and gets prose is worse off than with a clear 400.
        if (schema is null)
        {
            return RequestErrors.Missing($"{path}.schema");
        }

        return null;
    }
}
