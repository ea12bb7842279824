using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Translation.Ollama;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Reads Anthropic's <c>tools</c> and <c>tool_choice</c>. Client tools (no <c>type</c>, or <c>custom</c>) become native
/// function tools with <c>input_schema</c> as their parameters. Anthropic's server tools (web search, web fetch, code
/// execution, tool search...) and its schema-less client tools (bash, text editor, computer, memory) are refused: they
/// are run, or defined, by Anthropic's platform, and a model here would be promised something nobody runs.
/// </summary>
internal static class AnthropicToolsReader
{
    private static readonly JsonElement NoParameters = JsonElement.Parse("""{"type":"object","properties":{}}""");

    /// <summary>Reads the value of <c>tools</c>; null and <c>[]</c> mean none.</summary>
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

        var result = new List<OllamaTool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string path = $"{Param}[{result.Count}]";
            TranslationError? error = ReadTool(ref reader, path, out OllamaTool? tool);
            if (error is not null)
            {
                return error;
            }

            if (!names.Add(tool!.Function.Name))
            {
                return RequestErrors.InvalidValue($"{path}.name", $"the tool name '{tool.Function.Name}' is used more than once.");
            }

            result.Add(tool);
        }

        tools = result.Count > 0 ? result : null;
        return null;
    }

    /// <summary>
    /// Reads <c>tool_choice</c>: <c>auto</c> (the model decides) and <c>none</c> (the tools are not sent) are honoured;
    /// <c>any</c> and <c>tool</c> would force a call, which Ollama cannot do, so they are refused as on
    /// <c>/v1/chat/completions</c>. <c>disable_parallel_tool_use</c> is accepted: Ollama has no switch for it.
    /// </summary>
    public static TranslationError? ReadToolChoice(ref Utf8JsonReader reader, out bool dropTools)
    {
        const string Param = "tool_choice";
        dropTools = false;
        TranslationError? error = ExpectObject(ref reader, Param, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        string? type = null;
        var keys = new JsonKeyTracker(AnthropicRequestFields.ToolChoice);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Param}.{name}";
            error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "type" => ReadString(ref reader, param, out type),
                "name" => ReadString(ref reader, param, out _),
                "disable_parallel_tool_use" => ReadBool(ref reader, param, out _),
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
                return RequestErrors.Missing($"{Param}.type");
            case "auto":
                return null;
            case "none":
                dropTools = true;
                return null;
            case "any" or "tool":
                return RequestErrors.InvalidValue(
                    $"{Param}.type",
                    $"'{type}' would force a tool call, which Ollama cannot do; only 'auto' (the model decides) and 'none' (no tools are sent) are supported.");
            default:
                return RequestErrors.InvalidValue($"{Param}.type", $"'{type}' is not one of 'auto', 'any', 'tool', 'none'.");
        }
    }

    private static TranslationError? ReadTool(ref Utf8JsonReader reader, string path, out OllamaTool? tool)
    {
        tool = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? type = null;
        string? name = null;
        string? description = null;
        JsonElement? schema = null;
        var keys = new JsonKeyTracker(AnthropicRequestFields.Tool);
        while (ReadProperty(ref reader, out string key))
        {
            string param = $"{path}.{key}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(key), param);
            if (error is null)
            {
                switch (key)
                {
                    case "type":
                        error = ReadString(ref reader, param, out type);
                        break;
                    case "name":
                        error = ReadString(ref reader, param, out name);
                        break;
                    case "description":
                        error = ReadString(ref reader, param, out description);
                        break;
                    case "input_schema":
                        error = ReadJsonObject(ref reader, param, out schema);
                        break;
                    case "cache_control" or "strict" or "defer_loading" or "input_examples" or "eager_input_streaming" or "allowed_callers":
                        reader.Skip();
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

        if (type is not (null or "custom"))
        {
            return RequestErrors.InvalidValue(
                $"{path}.type",
                $"tools of type '{type}' are Anthropic-defined or run on Anthropic's servers and are not supported by this gateway; only client tools with an input_schema are.");
        }

        if (string.IsNullOrEmpty(name))
        {
            return RequestErrors.Missing($"{path}.name");
        }

        tool = new OllamaTool { Function = new OllamaToolFunction { Name = name, Description = description, Parameters = schema ?? NoParameters } };
        return null;
    }
}
