using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Reads the Responses <c>input</c> (reference §2.3) into native chat messages. A string is one user message. Items:
/// <c>message</c> (roles user, assistant, system, and developer as system; text parts joined with a newline, base64 data
/// URL images in user messages), <c>function_call</c> and <c>custom_tool_call</c> (tool calls on the assistant message
/// they follow, or a new one), <c>function_call_output</c> and <c>custom_tool_call_output</c> (native <c>tool</c>
/// messages naming their tool), <c>reasoning</c> (its text becomes the next assistant message's <c>thinking</c>), and
/// <c>web_search_call</c> (skipped: no search ran here). <c>item_reference</c> needs stored responses and is refused, as is
/// any other item type.
/// </summary>
internal static class ResponsesInputReader
{
    private static readonly string[] MessageKeys = ["type", "id", "role", "content", "status"];
    private static readonly string[] FunctionCallKeys = ["type", "id", "call_id", "name", "arguments", "status", "namespace"];
    private static readonly string[] CustomCallKeys = ["type", "id", "call_id", "name", "input", "status", "namespace"];
    private static readonly string[] OutputKeys = ["type", "id", "call_id", "output", "status"];
    private static readonly string[] ReasoningKeys = ["type", "id", "summary", "content", "encrypted_content", "status"];

    /// <summary>Reads the parsed <c>input</c> value.</summary>
    public static TranslationError? Read(JsonElement input, out List<OllamaChatMessage>? messages)
    {
        const string Param = "input";
        messages = null;
        if (input.ValueKind == JsonValueKind.String)
        {
            messages = [new OllamaChatMessage { Role = "user", Content = input.GetString()! }];
            return null;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return RequestErrors.InvalidType(Param, "a string or an array of input items", JsonElementChecks.TokenOf(input));
        }

        var state = new State();
        int index = 0;
        foreach (JsonElement item in input.EnumerateArray())
        {
            TranslationError? error = ReadItem(item, $"{Param}[{index++}]", state);
            if (error is not null)
            {
                return error;
            }
        }

        if (state.Messages.Count == 0)
        {
            // Never forward an empty conversation: native /api/chat takes it as "load the model".
            return index == 0 ? RequestErrors.EmptyArray(Param) : RequestErrors.InvalidValue(Param, "the input has no message for the model to answer.");
        }

        messages = [.. state.Messages.Select(m => m.ToNative())];
        return null;
    }

    private static TranslationError? ReadItem(JsonElement item, string path, State state)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(path, "an object", JsonElementChecks.TokenOf(item));
        }

        TranslationError? error = JsonElementChecks.CheckKeys(item, path, ResponsesRequestFields.Item, requireType: false, out string? type);
        if (error is not null)
        {
            return error;
        }

        switch (type ?? "message")
        {
            case "message":
                return ReadMessage(item, path, state);
            case "function_call":
                return ReadCall(item, path, state, custom: false);
            case "custom_tool_call":
                return ReadCall(item, path, state, custom: true);
            case "function_call_output" or "custom_tool_call_output":
                return ReadOutput(item, path, state);
            case "reasoning":
                return ReadReasoning(item, path, state);
            case "web_search_call":
                // A search that ran on OpenAI's side in an earlier turn; nothing of it can be replayed here.
                return null;
            case "item_reference":
                return RequestErrors.InvalidValue(
                    $"{path}.type", "item references need responses stored on the server, which Ollama does not keep; send the full input instead.");
            default:
                return RequestErrors.InvalidValue(
                    $"{path}.type",
                    $"input items of type '{type}' are not supported by this gateway; only message, function_call, function_call_output, custom_tool_call, custom_tool_call_output, reasoning and web_search_call are.");
        }
    }

    private static TranslationError? ReadMessage(JsonElement item, string path, State state)
    {
        string? role = null;
        TranslationError? error = JsonElementChecks.Allow(item, path, MessageKeys)
            ?? JsonElementChecks.GetString(item, path, "role", required: true, out role);
        if (error is not null)
        {
            return error;
        }

        string? nativeRole = role switch
        {
            "user" or "assistant" or "system" => role,

            // Native templates know no developer role and silently drop such messages; system is its meaning.
            "developer" => "system",
            _ => null,
        };
        if (nativeRole is null)
        {
            return RequestErrors.InvalidValue($"{path}.role", $"'{role}' is not a supported role. Supported: user, assistant, system, developer.");
        }

        string contentPath = $"{path}.content";
        if (!item.TryGetProperty("content", out JsonElement content) || content.ValueKind == JsonValueKind.Null)
        {
            return RequestErrors.Missing(contentPath);
        }

        var message = new Pending(nativeRole);
        error = ReadContent(content, contentPath, message, allowImages: nativeRole == "user");
        if (error is not null)
        {
            return error;
        }

        if (nativeRole == "assistant")
        {
            message.Thinking = state.TakeThinking();
        }

        state.Messages.Add(message);
        state.OpenAssistant = nativeRole == "assistant" ? message : null;
        return null;
    }

    /// <summary>Message or tool-output content: a string, or parts (text joined with a newline; images as base64).</summary>
    private static TranslationError? ReadContent(JsonElement content, string path, Pending into, bool allowImages)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Text.Append(content.GetString());
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return RequestErrors.InvalidType(path, "a string or an array of content parts", JsonElementChecks.TokenOf(content));
        }

        int index = 0;
        int texts = 0;
        foreach (JsonElement part in content.EnumerateArray())
        {
            string partPath = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                return RequestErrors.InvalidType(partPath, "an object", JsonElementChecks.TokenOf(part));
            }

            TranslationError? error = JsonElementChecks.CheckKeys(part, partPath, ResponsesRequestFields.Part, requireType: false, out string? type);
            if (error is not null)
            {
                return error;
            }

            string? text = null;
            switch (type)
            {
                case null:
                    return RequestErrors.Missing($"{partPath}.type");
                case "input_text" or "output_text":
                    error = JsonElementChecks.Allow(part, partPath, ["type", "text", "annotations", "logprobs"])
                        ?? JsonElementChecks.GetString(part, partPath, "text", required: true, out text);
                    break;
                case "refusal":
                    error = JsonElementChecks.Allow(part, partPath, ["type", "refusal"])
                        ?? JsonElementChecks.GetString(part, partPath, "refusal", required: true, out text);
                    break;
                case "input_image":
                    error = allowImages ? ReadImage(part, partPath, into) : RequestErrors.InvalidValue($"{partPath}.type", "image parts are only allowed in user messages and tool outputs.");
                    break;
                default:
                    return RequestErrors.InvalidValue(
                        $"{partPath}.type", $"content parts of type '{type}' are not supported by this gateway; only input_text, output_text, refusal and input_image (data URL) are.");
            }

            if (error is not null)
            {
                return error;
            }

            if (text is not null)
            {
                if (texts++ > 0)
                {
                    into.Text.Append('\n');
                }

                into.Text.Append(text);
            }
        }

        return null;
    }

    private static TranslationError? ReadImage(JsonElement part, string path, Pending into)
    {
        string? url = null;
        TranslationError? error = JsonElementChecks.Allow(part, path, ["type", "image_url", "file_id", "detail"])
            ?? JsonElementChecks.GetString(part, path, "detail", required: false, out _)
            ?? JsonElementChecks.GetString(part, path, "image_url", required: false, out url);
        if (error is not null)
        {
            return error;
        }

        if (url is null)
        {
            return part.TryGetProperty("file_id", out JsonElement fileId) && fileId.ValueKind != JsonValueKind.Null
                ? RequestErrors.InvalidValue($"{path}.file_id", "file ids need OpenAI's file storage; send the image inline as a data URL (data:image/png;base64,...).")
                : RequestErrors.Missing($"{path}.image_url");
        }

        error = ChatImageUrlReader.ToBase64(url, $"{path}.image_url", out string? image);
        if (error is null)
        {
            into.Images.Add(image!);
        }

        return error;
    }

    private static TranslationError? ReadCall(JsonElement item, string path, State state, bool custom)
    {
        string? callId = null;
        string? name = null;
        string? ns = null;
        TranslationError? error = JsonElementChecks.Allow(item, path, custom ? CustomCallKeys : FunctionCallKeys)
            ?? JsonElementChecks.GetString(item, path, "call_id", required: true, out callId)
            ?? JsonElementChecks.GetString(item, path, "name", required: true, out name)
            ?? JsonElementChecks.GetString(item, path, "namespace", required: false, out ns);
        if (error is not null)
        {
            return error;
        }

        JsonElement arguments;
        if (custom)
        {
            error = JsonElementChecks.GetString(item, path, "input", required: true, out string? input);
            if (error is not null)
            {
                return error;
            }

            arguments = CustomArguments(input!);
        }
        else
        {
            error = JsonElementChecks.GetString(item, path, "arguments", required: true, out string? text);
            if (error is not null)
            {
                return error;
            }

            error = ParseArguments(text!, $"{path}.arguments", out arguments);
            if (error is not null)
            {
                return error;
            }
        }

        string nativeName = ns is null ? name! : $"{ns}.{name}";
        Pending assistant = state.OpenAssistant ?? state.NewAssistant();
        assistant.ToolCalls.Add(new OllamaToolCall { Id = callId, Function = new OllamaToolCallFunction { Name = nativeName, Arguments = arguments } });
        state.CallNames[callId!] = nativeName;
        return null;
    }

    private static TranslationError? ReadOutput(JsonElement item, string path, State state)
    {
        string? callId = null;
        TranslationError? error = JsonElementChecks.Allow(item, path, OutputKeys)
            ?? JsonElementChecks.GetString(item, path, "call_id", required: true, out callId);
        if (error is not null)
        {
            return error;
        }

        if (!state.CallNames.TryGetValue(callId!, out string? toolName))
        {
            return RequestErrors.InvalidValue($"{path}.call_id", $"no earlier function_call or custom_tool_call item has the call_id '{callId}'.");
        }

        string outputPath = $"{path}.output";
        if (!item.TryGetProperty("output", out JsonElement output) || output.ValueKind == JsonValueKind.Null)
        {
            return RequestErrors.Missing(outputPath);
        }

        var message = new Pending("tool") { ToolName = toolName, ToolCallId = callId };
        error = ReadContent(output, outputPath, message, allowImages: true);
        if (error is not null)
        {
            return error;
        }

        state.Messages.Add(message);
        state.OpenAssistant = null;
        return null;
    }

    /// <summary>
    /// A reasoning item from an earlier turn: its reasoning text (or else its summary) becomes the next assistant message's
    /// <c>thinking</c>. <c>encrypted_content</c> is OpenAI's opaque state and is not read (this gateway sends none).
    /// </summary>
    private static TranslationError? ReadReasoning(JsonElement item, string path, State state)
    {
        TranslationError? error = JsonElementChecks.Allow(item, path, ReasoningKeys)
            ?? JsonElementChecks.GetString(item, path, "encrypted_content", required: false, out _);
        if (error is not null)
        {
            return error;
        }

        var text = new StringBuilder();
        error = AppendTexts(item, path, "content", text);
        if (error is null && text.Length == 0)
        {
            error = AppendTexts(item, path, "summary", text);
        }

        if (error is null && text.Length > 0)
        {
            state.AddThinking(text.ToString());
        }

        return error;
    }

    private static TranslationError? AppendTexts(JsonElement item, string path, string name, StringBuilder into)
    {
        if (!item.TryGetProperty(name, out JsonElement parts) || parts.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (parts.ValueKind != JsonValueKind.Array)
        {
            return RequestErrors.InvalidType($"{path}.{name}", "an array", JsonElementChecks.TokenOf(parts));
        }

        int index = 0;
        foreach (JsonElement part in parts.EnumerateArray())
        {
            string partPath = $"{path}.{name}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                return RequestErrors.InvalidType(partPath, "an object", JsonElementChecks.TokenOf(part));
            }

            TranslationError? error = JsonElementChecks.GetString(part, partPath, "text", required: true, out string? text);
            if (error is not null)
            {
                return error;
            }

            if (into.Length > 0)
            {
                into.Append('\n');
            }

            into.Append(text);
        }

        return null;
    }

    /// <summary>A function call's arguments: a JSON object as a string; native arguments are the object itself.</summary>
    private static TranslationError? ParseArguments(string text, string param, out JsonElement arguments)
    {
        arguments = default;
        try
        {
            arguments = JsonElement.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException)
        {
            return RequestErrors.InvalidValue(param, "the arguments must be a JSON object encoded as a string.");
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidValue(param, "the arguments must be a JSON object encoded as a string.");
        }

        string? duplicate = OpenAIJsonReading.FindDuplicateKey(arguments, param);
        return duplicate is null ? null : RequestErrors.DuplicateKey(duplicate);
    }

    /// <summary>A custom tool's input as the native arguments of its function: <c>{"input":"..."}</c>.</summary>
    private static JsonElement CustomArguments(string input)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("input"u8, input);
            writer.WriteEndObject();
        }

        return JsonElement.Parse(stream.ToArray());
    }

    /// <summary>A native message being built.</summary>
    private sealed class Pending(string role)
    {
        public string Role { get; } = role;

        public StringBuilder Text { get; } = new();

        public List<string> Images { get; } = [];

        public string? Thinking { get; set; }

        public List<OllamaToolCall> ToolCalls { get; } = [];

        public string? ToolName { get; init; }

        public string? ToolCallId { get; init; }

        public OllamaChatMessage ToNative() => new()
        {
            Role = Role,
            Content = Text.ToString(),
            Images = Images.Count > 0 ? Images : null,
            Thinking = Thinking,
            ToolCalls = ToolCalls.Count > 0 ? ToolCalls : null,
            ToolName = ToolName,
            ToolCallId = ToolCallId,
        };
    }

    private sealed class State
    {
        private StringBuilder? _thinking;

        public List<Pending> Messages { get; } = [];

        /// <summary>The assistant message that calls go on: the last item was that message or one of its calls.</summary>
        public Pending? OpenAssistant { get; set; }

        /// <summary>Call id → native function name, for the outputs that answer the calls.</summary>
        public Dictionary<string, string> CallNames { get; } = new(StringComparer.Ordinal);

        public void AddThinking(string text)
        {
            _thinking ??= new StringBuilder();
            if (_thinking.Length > 0)
            {
                _thinking.Append('\n');
            }

            _thinking.Append(text);
            OpenAssistant = null;
        }

        public string? TakeThinking()
        {
            string? thinking = _thinking?.ToString();
            _thinking = null;
            return thinking;
        }

        public Pending NewAssistant()
        {
            var assistant = new Pending("assistant") { Thinking = TakeThinking() };
            Messages.Add(assistant);
            OpenAssistant = assistant;
            return assistant;
        }
    }
}
