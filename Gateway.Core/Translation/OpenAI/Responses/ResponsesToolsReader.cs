using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Reads the Responses <c>tools</c> (reference §2.4) into native function tools. <c>function</c> tools map directly;
/// Codex's <c>custom</c> tools (free-form input such as <c>apply_patch</c>) become functions taking one string
/// <c>input</c>; <c>namespace</c> tools (Codex's MCP servers) become their members, named <c>namespace.member</c>, and a
/// call is answered with the member's name and its <c>namespace</c>. <c>web_search</c> (which Codex declares by default)
/// is accepted and not offered: the gateway cannot search. OpenAI's other built-in tools (file search, code interpreter,
/// image generation, computer use, remote MCP, and the client-run local_shell, shell and apply_patch, whose schemas only
/// OpenAI's models know; Codex declares those only for OpenAI's own models) are refused with a 400 naming them.
/// </summary>
internal static class ResponsesToolsReader
{
    private static readonly JsonElement NoParameters = JsonElement.Parse("""{"type":"object","properties":{}}""");

    /// <summary>Reads <c>tools</c> (already parsed) into native tools and the answer-side map.</summary>
    public static TranslationError? Read(JsonElement tools, out List<OllamaTool>? native, out Dictionary<string, ResponsesTool> map)
    {
        const string Param = "tools";
        native = null;
        map = new Dictionary<string, ResponsesTool>(StringComparer.Ordinal);
        if (tools.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return RequestErrors.InvalidType(Param, "an array", JsonElementChecks.TokenOf(tools));
        }

        var result = new List<OllamaTool>();
        int index = 0;
        foreach (JsonElement tool in tools.EnumerateArray())
        {
            TranslationError? error = ReadTool(tool, $"{Param}[{index++}]", null, result, map);
            if (error is not null)
            {
                return error;
            }
        }

        native = result.Count > 0 ? result : null;
        return null;
    }

    /// <summary>
    /// Reads <c>tool_choice</c>: <c>auto</c> is honoured and <c>none</c> sends no tools; <c>required</c> and a named tool
    /// would force a call, which Ollama cannot do (400, as on <c>/v1/chat/completions</c>).
    /// </summary>
    public static TranslationError? ReadToolChoice(JsonElement choice, out bool dropTools)
    {
        const string Param = "tool_choice";
        dropTools = false;
        switch (choice.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                string value = choice.GetString()!;
                if (value == "auto")
                {
                    return null;
                }

                if (value == "none")
                {
                    dropTools = true;
                    return null;
                }

                return value == "required"
                    ? CannotForce()
                    : RequestErrors.InvalidValue(Param, $"'{value}' is not one of 'auto', 'none', 'required'.");
            case JsonValueKind.Object:
                return CannotForce();
            default:
                return RequestErrors.InvalidType(Param, "a string or an object", JsonElementChecks.TokenOf(choice));
        }
    }

    private static TranslationError CannotForce() =>
        RequestErrors.InvalidValue(
            "tool_choice",
            "Ollama cannot force or restrict tool calls, so only 'auto' (the model decides) and 'none' (no tools are sent) are supported.");

    private static TranslationError? ReadTool(JsonElement tool, string path, string? ns, List<OllamaTool> into, Dictionary<string, ResponsesTool> map)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(path, "an object", JsonElementChecks.TokenOf(tool));
        }

        string? type = null;
        TranslationError? error = JsonElementChecks.CheckKeys(tool, path, ResponsesRequestFields.Tool, requireType: false, out _)
            ?? JsonElementChecks.GetString(tool, path, "type", required: true, out type);
        if (error is not null)
        {
            return error;
        }

        switch (type)
        {
            case "function":
                return ReadFunction(tool, path, ns, ResponsesToolKind.Function, into, map);
            case "custom":
                return ReadFunction(tool, path, ns, ResponsesToolKind.Custom, into, map);
            case "namespace" when ns is null:
                return ReadNamespace(tool, path, into, map);
            case "web_search" or "web_search_preview" or "web_search_2025_08_26" or "web_search_preview_2025_03_11" when ns is null:
                // Codex declares web search by default; refusing it would stop Codex, offering it would promise a search
                // nobody runs. The model simply does not see it.
                return null;
            default:
                return RequestErrors.InvalidValue(
                    $"{path}.type",
                    $"tools of type '{type}' are OpenAI's built-in tools (run by OpenAI, or defined by schemas only OpenAI's models know) and are not supported by this gateway; only 'function', 'custom' and 'namespace' tools are (a 'web_search' tool is accepted and not offered to the model).");
        }
    }

    private static TranslationError? ReadFunction(
        JsonElement tool, string path, string? ns, ResponsesToolKind kind, List<OllamaTool> into, Dictionary<string, ResponsesTool> map)
    {
        string[] allowed = kind == ResponsesToolKind.Function
            ? ["type", "name", "description", "parameters", "strict", "defer_loading"]
            : ["type", "name", "description", "format", "defer_loading"];
        string? name = null;
        string? description = null;
        TranslationError? error = JsonElementChecks.Allow(tool, path, allowed)
            ?? JsonElementChecks.GetString(tool, path, "name", required: true, out name)
            ?? JsonElementChecks.GetString(tool, path, "description", required: false, out description);
        if (error is not null)
        {
            return error;
        }

        if (!ChatToolsReader.IsValidFunctionName(name!))
        {
            return ChatToolsReader.InvalidFunctionName($"{path}.name");
        }

        JsonElement parameters;
        if (kind == ResponsesToolKind.Function)
        {
            error = JsonElementChecks.GetObject(tool, path, "parameters", out JsonElement? schema);
            if (error is null && tool.TryGetProperty("strict", out JsonElement strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                error = RequestErrors.InvalidType($"{path}.strict", "a boolean", JsonElementChecks.TokenOf(strict));
            }

            parameters = schema ?? NoParameters;
        }
        else
        {
            error = ReadCustomFormat(tool, path, ref description);
            parameters = CustomParameters;
        }

        if (error is not null)
        {
            return error;
        }

        string nativeName = ns is null ? name! : $"{ns}.{name}";
        if (!map.TryAdd(nativeName, new ResponsesTool(kind, name!, ns)))
        {
            return RequestErrors.InvalidValue($"{path}.name", $"the tool name '{nativeName}' is used more than once.");
        }

        into.Add(new OllamaTool { Function = new OllamaToolFunction { Name = nativeName, Description = description, Parameters = parameters } });
        return null;
    }

    /// <summary>A custom tool's one argument: the free-form input, a string.</summary>
    private static readonly JsonElement CustomParameters = JsonElement.Parse(
        """{"type":"object","properties":{"input":{"type":"string","description":"The tool's whole input, as free-form text."}},"required":["input"]}""");

    /// <summary>
    /// A custom tool's <c>format</c>: <c>text</c>, or a grammar, which Ollama cannot enforce on a call's arguments, so it
    /// is added to the description for the model to follow.
    /// </summary>
    private static TranslationError? ReadCustomFormat(JsonElement tool, string path, ref string? description)
    {
        if (!tool.TryGetProperty("format", out JsonElement format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string formatPath = $"{path}.format";
        if (format.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(formatPath, "an object", JsonElementChecks.TokenOf(format));
        }

        TranslationError? error = JsonElementChecks.GetString(format, formatPath, "type", required: true, out string? type);
        if (error is not null || type == "text")
        {
            return error;
        }

        if (type != "grammar")
        {
            return RequestErrors.InvalidValue($"{formatPath}.type", $"'{type}' is not one of 'text', 'grammar'.");
        }

        string? syntax = null;
        string? definition = null;
        error = JsonElementChecks.GetString(format, formatPath, "syntax", required: false, out syntax)
            ?? JsonElementChecks.GetString(format, formatPath, "definition", required: true, out definition);
        if (error is null)
        {
            description = $"{description}\n\nThe input must follow this {syntax ?? "grammar"} grammar:\n{definition}".TrimStart('\n');
        }

        return error;
    }

    private static TranslationError? ReadNamespace(JsonElement tool, string path, List<OllamaTool> into, Dictionary<string, ResponsesTool> map)
    {
        string? name = null;
        TranslationError? error = JsonElementChecks.Allow(tool, path, ["type", "name", "description", "tools"])
            ?? JsonElementChecks.GetString(tool, path, "name", required: true, out name)
            ?? JsonElementChecks.GetString(tool, path, "description", required: false, out _);
        if (error is not null)
        {
            return error;
        }

        if (!ChatToolsReader.IsValidFunctionName(name!))
        {
            return ChatToolsReader.InvalidFunctionName($"{path}.name");
        }

        string membersPath = $"{path}.tools";
        if (!tool.TryGetProperty("tools", out JsonElement members) || members.ValueKind != JsonValueKind.Array)
        {
            return RequestErrors.Missing(membersPath);
        }

        int index = 0;
        foreach (JsonElement member in members.EnumerateArray())
        {
            error = ReadTool(member, $"{membersPath}[{index++}]", name, into, map);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }
}
