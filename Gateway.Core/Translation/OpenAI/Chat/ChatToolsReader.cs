using OllamaGateway.Json;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;
using OllamaGateway.Translation.OpenAI;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Reads OpenAI's <c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c>. Native <c>tools</c> has the same outer
/// shape as OpenAI's (reference §1.3), so the work is checking the shape and copying the checked values.
/// </summary>
internal static class ChatToolsReader
{
    /// <summary>
    /// What OpenAI means when <c>parameters</c> is omitted: "a function with an empty parameter list". Sent explicitly,
    /// because a native tool without parameters renders as a zero Go struct (<c>"type":""</c>) in model templates.
    /// </summary>
    private static readonly JsonElement NoParameters = JsonElement.Parse("""{"type":"object","properties":{}}""");

    /// <summary>Reads <c>tools</c>: a non-empty array of function tools with distinct, well-formed names.</summary>
    public static TranslationError? ReadTools(ref Utf8JsonReader reader, out List<OllamaTool>? tools)
    {
        const string Param = "tools";
        tools = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return RequestErrors.InvalidType(Param, "an array", reader.TokenType);
        }

        var list = new List<OllamaTool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string path = $"{Param}[{list.Count}]";
            TranslationError? error = ReadTool(ref reader, path, out OllamaTool? tool);
            if (error is not null)
            {
                return error;
            }

            // Two tools with one name leave the model's call ambiguous; OpenAI refuses them too.
            if (!names.Add(tool!.Function.Name))
            {
                return RequestErrors.InvalidValue($"{path}.function.name", $"the tool name '{ClientText.Quote(tool.Function.Name)}' is used more than once.");
            }

            list.Add(tool);
        }

        // OpenAI answers an empty tools array with 400; silently treating it as "no tools" would hide a client bug.
        if (list.Count == 0)
        {
            return RequestErrors.EmptyArray(Param);
        }

        tools = list;
        return null;
    }

    /// <summary>
    /// Reads <c>tool_choice</c>. Ollama has no such field (its own layer ignores it, reference §3.2 and pitfall 26), so:
    /// <c>auto</c> (OpenAI's default with tools) sends the tools; <c>none</c> is emulated by not sending them, which is
    /// the only way to guarantee the model calls none; <c>required</c>, a named function and <c>allowed_tools</c> would
    /// need constrained decoding Ollama does not offer, and ignoring them would give the client a reply it did not
    /// ask for (text instead of a forced call), so they are refused with 400.
    /// </summary>
    /// <param name="reader">On the value.</param>
    /// <param name="dropTools">True for <c>none</c>.</param>
    public static TranslationError? ReadToolChoice(ref Utf8JsonReader reader, out bool dropTools)
    {
        const string Param = "tool_choice";
        dropTools = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                string? choice = reader.GetString();
                switch (choice)
                {
                    case "auto":
                        return null;
                    case "none":
                        dropTools = true;
                        return null;
                    case "required":
                        return CannotForce();
                    default:
                        return RequestErrors.InvalidValue(Param, $"'{ClientText.Quote(choice)}' is not one of 'none', 'auto', 'required'.");
                }

            case JsonTokenType.StartObject:
                // {"type":"function","function":{"name"}} or {"type":"allowed_tools",...}: both force or restrict calls.
                reader.Skip();
                return CannotForce();
            default:
                return RequestErrors.InvalidType(Param, "a string or an object", reader.TokenType);
        }
    }

    /// <summary>
    /// Reads <c>parallel_tool_calls</c>: type-checked and otherwise ignored. Ollama has no switch for it and a model may
    /// return several calls in one reply. Refusing <c>false</c> would break clients that send it by habit (agent
    /// frameworks set it on every request) for no gain, since a model asked for one call usually makes one; the
    /// gateway forwards whatever calls the model made, as Ollama's own layer does (reference §3.2).
    /// </summary>
    public static TranslationError? ReadParallelToolCalls(ref Utf8JsonReader reader) =>
        ReadBool(ref reader, "parallel_tool_calls", out _);

    /// <summary>OpenAI's function-name rule, <c>^[a-zA-Z0-9_-]{1,64}$</c>.</summary>
    public static bool IsValidFunctionName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The function-name refusal, shared with the tool calls of assistant messages.</summary>
    public static TranslationError InvalidFunctionName(string param) =>
        RequestErrors.InvalidValue(param, "function names must match ^[a-zA-Z0-9_-]{1,64}$.");

    private static TranslationError CannotForce() =>
        RequestErrors.InvalidValue(
            "tool_choice",
            "Ollama cannot force or restrict tool calls, so only 'auto' (the model decides) and 'none' (no tools are sent) are supported.");

    private static TranslationError? ReadTool(ref Utf8JsonReader reader, string path, out OllamaTool? tool)
    {
        tool = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? type = null;
        OllamaToolFunction? function = null;
        bool sawFunction = false;
        var keys = new JsonKeyTracker(ChatRequestFields.Tool);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "type" => ReadString(ref reader, param, out type),
                "function" => ReadFunction(ref reader, param, out function, out sawFunction),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (type is null)
        {
            return RequestErrors.Missing($"{path}.type");
        }

        if (type != "function")
        {
            // OpenAI's newer "custom" tools take free text, which native tools cannot express.
            return RequestErrors.InvalidValue($"{path}.type", $"tools of type '{ClientText.Quote(type)}' are not supported; only 'function' is.");
        }

        if (!sawFunction)
        {
            return RequestErrors.Missing($"{path}.function");
        }

        tool = new OllamaTool { Function = function! };
        return null;
    }

    private static TranslationError? ReadFunction(ref Utf8JsonReader reader, string path, out OllamaToolFunction? function, out bool present)
    {
        function = null;
        TranslationError? error = ExpectObject(ref reader, path, out present);
        if (error is not null || !present)
        {
            return error;
        }

        string? name = null;
        string? description = null;
        JsonElement? parameters = null;
        var keys = new JsonKeyTracker(ChatRequestFields.ToolFunction);
        while (ReadProperty(ref reader, out string key))
        {
            string param = $"{path}.{key}";
            error = RequestErrors.ForKey(keys.Add(key), param);
            error ??= key switch
            {
                "name" => ReadString(ref reader, param, out name),
                "description" => ReadString(ref reader, param, out description),
                "parameters" => ReadJsonObject(ref reader, param, out parameters),

                // Accepted and dropped: Ollama has no strict mode for tools and keeps only a schema subset (reference
                // §1.10), exactly as its own layer does. The call's arguments are still parsed as JSON by Ollama.
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
            present = false;
            return RequestErrors.Missing($"{path}.name");
        }

        if (!IsValidFunctionName(name))
        {
            return InvalidFunctionName($"{path}.name");
        }

        function = new OllamaToolFunction { Name = name, Description = description, Parameters = parameters ?? NoParameters };
        return null;
    }
}
