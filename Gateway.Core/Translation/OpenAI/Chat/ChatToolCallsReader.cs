using OllamaGateway.Json;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;
using OllamaGateway.Translation.OpenAI;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Reads the <c>tool_calls</c> of an assistant message in the history. OpenAI's <c>function.arguments</c> is a
/// JSON-encoded <em>string</em>; native arguments are a JSON <em>object</em> (reference pitfall 3), so the string is
/// parsed here and the object copied.
/// </summary>
internal static class ChatToolCallsReader
{
    private static readonly JsonElement EmptyArguments = JsonElement.Parse("{}");

    private static readonly JsonDocumentOptions ArgumentsOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Reads the array at <paramref name="path"/>; an empty array or null gives no calls.</summary>
    public static TranslationError? ReadToolCalls(ref Utf8JsonReader reader, string path, out List<OllamaToolCall>? calls)
    {
        calls = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return RequestErrors.InvalidType(path, "an array", reader.TokenType);
        }

        var list = new List<OllamaToolCall>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            TranslationError? error = ReadToolCall(ref reader, $"{path}[{list.Count}]", out OllamaToolCall? call);
            if (error is not null)
            {
                return error;
            }

            list.Add(call!);
        }

        calls = list.Count == 0 ? null : list;
        return null;
    }

    private static TranslationError? ReadToolCall(ref Utf8JsonReader reader, string path, out OllamaToolCall? call)
    {
        call = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? id = null;
        string? type = null;
        OllamaToolCallFunction? function = null;
        var keys = new JsonKeyTracker(ChatRequestFields.ToolCall);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "id" => ReadString(ref reader, param, out id),
                "type" => ReadString(ref reader, param, out type),
                "function" => ReadFunction(ref reader, param, out function),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        // The id is what a later tool message names in tool_call_id; without it the result cannot be matched.
        if (string.IsNullOrEmpty(id))
        {
            return RequestErrors.Missing($"{path}.id");
        }

        if (type is null)
        {
            return RequestErrors.Missing($"{path}.type");
        }

        if (type != "function")
        {
            return RequestErrors.InvalidValue($"{path}.type", $"tool calls of type '{ClientText.Quote(type)}' are not supported; only 'function' is.");
        }

        if (function is null)
        {
            return RequestErrors.Missing($"{path}.function");
        }

        call = new OllamaToolCall { Id = id, Function = function };
        return null;
    }

    private static TranslationError? ReadFunction(ref Utf8JsonReader reader, string path, out OllamaToolCallFunction? function)
    {
        function = null;
        TranslationError? error = ExpectObject(ref reader, path, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        string? name = null;
        string? arguments = null;
        var keys = new JsonKeyTracker(ChatRequestFields.ToolCallFunction);
        while (ReadProperty(ref reader, out string key))
        {
            string param = $"{path}.{key}";
            error = RequestErrors.ForKey(keys.Add(key), param);
            error ??= key switch
            {
                "name" => ReadString(ref reader, param, out name),
                "arguments" => ReadString(ref reader, param, out arguments),
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
            return ChatToolsReader.InvalidFunctionName($"{path}.name");
        }

        if (arguments is null)
        {
            return RequestErrors.Missing($"{path}.arguments");
        }

        error = ParseArguments(arguments, $"{path}.arguments", out JsonElement parsed);
        if (error is not null)
        {
            return error;
        }

        function = new OllamaToolCallFunction { Name = name, Arguments = parsed };
        return null;
    }

    /// <summary>
    /// Parses the arguments string into the native object. <c>""</c> (and blank) means no arguments, <c>{}</c>: Ollama's
    /// own layer refuses it, but models do emit it for parameterless functions and clients echo it back (reference
    /// §3.3, recommended). Anything that is not one JSON object is a 400 naming the argument path.
    /// </summary>
    private static TranslationError? ParseArguments(string arguments, string param, out JsonElement parsed)
    {
        parsed = EmptyArguments;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(arguments, ArgumentsOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return RequestErrors.InvalidValue(param, "the arguments must be a JSON object encoded as a string.");
            }

            string? duplicate = FindDuplicateKey(document.RootElement, param);
            if (duplicate is not null)
            {
                return RequestErrors.InvalidValue(param, $"the arguments repeat the key at '{ClientText.Quote(duplicate)}'.");
            }

            parsed = document.RootElement.Clone();
            return null;
        }
        catch (JsonException)
        {
            return RequestErrors.InvalidValue(param, "the arguments are not valid JSON.");
        }
    }
}
