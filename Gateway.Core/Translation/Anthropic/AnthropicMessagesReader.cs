using System.Text;
using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Translation.OpenAI.Chat;
using static OllamaGateway.Translation.JsonElementChecks;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Reads Anthropic's <c>messages</c> into native chat messages (reference §1.3). A user turn's <c>tool_result</c> blocks
/// become native <c>tool</c> messages placed before the turn's own text, each naming its tool from the matching
/// <c>tool_use</c> (native <c>tool_name</c>, which templates render); an assistant turn's <c>thinking</c>, text and
/// <c>tool_use</c> blocks become one native assistant message. Text blocks are joined with a newline.
/// </summary>
/// <remarks>
/// Each block is parsed whole into a <see cref="JsonElement"/> first: its keys may come in any order, and which keys are
/// allowed depends on its <c>type</c>. Keys are still checked for duplicates and case variants.
/// </remarks>
internal static class AnthropicMessagesReader
{
    private static readonly string[] TextKeys = ["type", "text", "cache_control", "citations"];
    private static readonly string[] ImageKeys = ["type", "source", "cache_control"];
    private static readonly string[] ToolUseKeys = ["type", "id", "name", "input", "cache_control", "caller"];
    private static readonly string[] ToolResultKeys = ["type", "tool_use_id", "content", "is_error", "cache_control"];
    private static readonly string[] ThinkingKeys = ["type", "thinking", "signature"];
    private static readonly string[] RedactedThinkingKeys = ["type", "data"];

    /// <summary>Reads the value of <c>messages</c>.</summary>
    public static TranslationError? ReadMessages(ref Utf8JsonReader reader, out List<OllamaChatMessage>? messages)
    {
        const string Param = "messages";
        messages = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return RequestErrors.InvalidType(Param, "an array", reader.TokenType);
        }

        var result = new List<OllamaChatMessage>();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            TranslationError? error = ReadMessage(ref reader, $"{Param}[{index}]", toolNames, result);
            if (error is not null)
            {
                return error;
            }

            index++;
        }

        // Never forward an empty array: native /api/chat takes it as "load the model".
        if (index == 0)
        {
            return RequestErrors.EmptyArray(Param);
        }

        messages = result;
        return null;
    }

    /// <summary>Reads one text block (as in <c>system</c>) and returns its text.</summary>
    public static TranslationError? ReadTextBlock(ref Utf8JsonReader reader, string path, out string? text)
    {
        text = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        JsonElement block = JsonElement.ParseValue(ref reader);
        TranslationError? error = CheckKeys(block, path, AnthropicRequestFields.Block, requireType: true, out string? type);
        if (error is not null)
        {
            return error;
        }

        if (type != "text")
        {
            return RequestErrors.InvalidValue($"{path}.type", $"only 'text' blocks are allowed here, not '{type}'.");
        }

        return ReadText(block, path, out text);
    }

    private static TranslationError? ReadMessage(ref Utf8JsonReader reader, string path, Dictionary<string, string> toolNames, List<OllamaChatMessage> into)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? role = null;
        JsonElement? content = null;
        var keys = new JsonKeyTracker(AnthropicRequestFields.Message);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            if (error is null)
            {
                switch (name)
                {
                    case "role":
                        error = ReadString(ref reader, param, out role);
                        break;
                    case "content":
                        // Read after the role, which may come later in the object.
                        content = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
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

        if (role is null)
        {
            return RequestErrors.Missing($"{path}.role");
        }

        if (role is not ("user" or "assistant" or "system"))
        {
            return RequestErrors.InvalidValue($"{path}.role", $"'{role}' is not a supported role. Supported: user, assistant, system.");
        }

        if (content is null)
        {
            return RequestErrors.Missing($"{path}.content");
        }

        var turn = new Turn(role);
        string contentPath = $"{path}.content";
        switch (content.Value.ValueKind)
        {
            case JsonValueKind.String:
                turn.Texts.Add(content.Value.GetString()!);
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement block in content.Value.EnumerateArray())
                {
                    TranslationError? error = ReadBlock(block, $"{contentPath}[{index}]", turn, toolNames);
                    if (error is not null)
                    {
                        return error;
                    }

                    index++;
                }

                if (index == 0)
                {
                    return RequestErrors.EmptyArray(contentPath);
                }

                break;
            default:
                return RequestErrors.InvalidType(contentPath, "a string or an array of content blocks", TokenOf(content.Value));
        }

        turn.AddTo(into);
        return null;
    }

    private static TranslationError? ReadBlock(JsonElement block, string path, Turn turn, Dictionary<string, string> toolNames)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(path, "an object", TokenOf(block));
        }

        TranslationError? error = CheckKeys(block, path, AnthropicRequestFields.Block, requireType: true, out string? type);
        if (error is not null)
        {
            return error;
        }

        string role = turn.Role;
        if (role == "system" && type != "text")
        {
            return RequestErrors.InvalidValue($"{path}.type", "system messages take text blocks only.");
        }

        switch (type)
        {
            case "text":
                error = ReadText(block, path, out string? text);
                turn.Texts.Add(text ?? string.Empty);
                return error;
            case "image":
                if (turn.IsAssistant)
                {
                    return RequestErrors.InvalidValue($"{path}.type", "image blocks are only allowed in user messages.");
                }

                string? image = null;
                error = Allow(block, path, ImageKeys) ?? ReadImage(block, path, out image);
                if (error is null)
                {
                    turn.Images.Add(image!);
                }

                return error;
            case "tool_use":
                return turn.IsAssistant
                    ? ReadToolUse(block, path, turn, toolNames)
                    : RequestErrors.InvalidValue($"{path}.type", "tool_use blocks are only allowed in assistant messages.");
            case "tool_result":
                return turn.IsAssistant
                    ? RequestErrors.InvalidValue($"{path}.type", "tool_result blocks are only allowed in user messages.")
                    : ReadToolResult(block, path, turn, toolNames);
            case "thinking":
                if (!turn.IsAssistant)
                {
                    return RequestErrors.InvalidValue($"{path}.type", "thinking blocks are only allowed in assistant messages.");
                }

                // The signature proves the thinking came from Anthropic's model; it means nothing to Ollama.
                string? thinking = null;
                error = Allow(block, path, ThinkingKeys) ?? GetString(block, path, "thinking", required: true, out thinking);
                error ??= GetString(block, path, "signature", required: false, out _);
                turn.Thinking.Append(thinking);
                return error;
            case "redacted_thinking":
                // Encrypted thinking of Anthropic's own models: nothing an Ollama model can read; dropped, as Ollama does.
                return turn.IsAssistant
                    ? Allow(block, path, RedactedThinkingKeys)
                    : RequestErrors.InvalidValue($"{path}.type", "redacted_thinking blocks are only allowed in assistant messages.");
            default:
                return RequestErrors.InvalidValue(
                    $"{path}.type",
                    $"content blocks of type '{type}' are not supported by this gateway in {role} messages; only text, image (base64), tool_use, tool_result and thinking are.");
        }
    }

    private static TranslationError? ReadText(JsonElement block, string path, out string? text)
    {
        text = null;
        return Allow(block, path, TextKeys) ?? GetString(block, path, "text", required: true, out text);
    }

    /// <summary>An image block: only inline base64 (<c>source.type:"base64"</c>); the gateway never fetches URLs or files.</summary>
    private static TranslationError? ReadImage(JsonElement block, string path, out string? image)
    {
        image = null;
        string sourcePath = $"{path}.source";
        if (!block.TryGetProperty("source", out JsonElement source) || source.ValueKind == JsonValueKind.Null)
        {
            return RequestErrors.Missing(sourcePath);
        }

        if (source.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(sourcePath, "an object", TokenOf(source));
        }

        var keys = new JsonKeyTracker(AnthropicRequestFields.ImageSource);
        foreach (JsonProperty property in source.EnumerateObject())
        {
            TranslationError? keyError = RequestErrors.ForKey(keys.Add(property.Name), $"{sourcePath}.{property.Name}");
            if (keyError is not null)
            {
                return keyError;
            }

            if (!AnthropicRequestFields.ImageSource.MatchesIgnoringCase(property.Name))
            {
                return RequestErrors.Unsupported($"{sourcePath}.{property.Name}");
            }
        }

        TranslationError? error = GetString(source, sourcePath, "type", required: true, out string? type);
        if (error is not null)
        {
            return error;
        }

        if (type != "base64")
        {
            return RequestErrors.InvalidValue(
                $"{sourcePath}.type", $"image sources of type '{type}' are not supported: this gateway never fetches URLs or files. Send the image as base64.");
        }

        string? data = null;
        error = GetString(source, sourcePath, "media_type", required: true, out string? mediaType)
            ?? GetString(source, sourcePath, "data", required: true, out data);
        return error ?? ChatImageUrlReader.ToBase64($"data:{mediaType};base64,{data}", $"{sourcePath}.data", out image);
    }

    private static TranslationError? ReadToolUse(JsonElement block, string path, Turn turn, Dictionary<string, string> toolNames)
    {
        string? id = null;
        string? name = null;
        TranslationError? error = Allow(block, path, ToolUseKeys)
            ?? GetString(block, path, "id", required: true, out id)
            ?? GetString(block, path, "name", required: true, out name);
        if (error is not null)
        {
            return error;
        }

        string inputPath = $"{path}.input";
        if (!block.TryGetProperty("input", out JsonElement input) || input.ValueKind == JsonValueKind.Null)
        {
            return RequestErrors.Missing(inputPath);
        }

        if (input.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(inputPath, "an object", TokenOf(input));
        }

        string? duplicate = FindDuplicateKey(input, inputPath);
        if (duplicate is not null)
        {
            return RequestErrors.DuplicateKey(duplicate);
        }

        // The arguments keep their key order: Ollama renders them into the prompt, and the same order keeps its cache.
        turn.ToolCalls.Add(new OllamaToolCall { Id = id, Function = new OllamaToolCallFunction { Name = name!, Arguments = input } });
        toolNames[id!] = name!;
        return null;
    }

    /// <summary>
    /// A tool result: its text (a string, or text blocks joined with a newline) and images become one native
    /// <c>tool</c> message. <c>is_error</c> has no native field; the result's own text says what went wrong.
    /// </summary>
    private static TranslationError? ReadToolResult(JsonElement block, string path, Turn turn, Dictionary<string, string> toolNames)
    {
        string? toolUseId = null;
        TranslationError? error = Allow(block, path, ToolResultKeys)
            ?? GetString(block, path, "tool_use_id", required: true, out toolUseId);
        if (error is null && block.TryGetProperty("is_error", out JsonElement isError)
            && isError.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            error = RequestErrors.InvalidType($"{path}.is_error", "a boolean", TokenOf(isError));
        }

        if (error is not null)
        {
            return error;
        }

        if (!toolNames.TryGetValue(toolUseId!, out string? toolName))
        {
            return RequestErrors.InvalidValue($"{path}.tool_use_id", $"no earlier assistant message has a tool_use block with id '{toolUseId}'.");
        }

        string contentPath = $"{path}.content";
        var text = new StringBuilder();
        List<string>? images = null;
        if (block.TryGetProperty("content", out JsonElement content))
        {
            switch (content.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    text.Append(content.GetString());
                    break;
                case JsonValueKind.Array:
                    int index = 0;
                    foreach (JsonElement part in content.EnumerateArray())
                    {
                        string partPath = $"{contentPath}[{index++}]";
                        if (part.ValueKind != JsonValueKind.Object)
                        {
                            return RequestErrors.InvalidType(partPath, "an object", TokenOf(part));
                        }

                        error = CheckKeys(part, partPath, AnthropicRequestFields.Block, requireType: true, out string? type);
                        if (error is not null)
                        {
                            return error;
                        }

                        if (type == "text")
                        {
                            error = ReadText(part, partPath, out string? partText);
                            if (text.Length > 0)
                            {
                                text.Append('\n');
                            }

                            text.Append(partText);
                        }
                        else if (type == "image")
                        {
                            string? image = null;
                            error = Allow(part, partPath, ImageKeys) ?? ReadImage(part, partPath, out image);
                            (images ??= []).Add(image!);
                        }
                        else
                        {
                            error = RequestErrors.InvalidValue(
                                $"{partPath}.type", $"tool results of type '{type}' are not supported by this gateway; only text and image are.");
                        }

                        if (error is not null)
                        {
                            return error;
                        }
                    }

                    break;
                default:
                    return RequestErrors.InvalidType(contentPath, "a string or an array of content blocks", TokenOf(content));
            }
        }

        turn.ToolResults.Add(new OllamaChatMessage
        {
            Role = "tool",
            Content = text.ToString(),
            Images = images,
            ToolName = toolName,
            ToolCallId = toolUseId,
        });
        return null;
    }

    /// <summary>One Anthropic turn while its blocks are read; becomes one or more native messages.</summary>
    private sealed class Turn(string role)
    {
        /// <summary><c>user</c>, <c>assistant</c> or <c>system</c> (a system message within the conversation).</summary>
        public string Role { get; } = role;

        public bool IsAssistant => Role == "assistant";

        public List<string> Texts { get; } = [];

        public List<string> Images { get; } = [];

        public StringBuilder Thinking { get; } = new();

        public List<OllamaToolCall> ToolCalls { get; } = [];

        public List<OllamaChatMessage> ToolResults { get; } = [];

        public void AddTo(List<OllamaChatMessage> messages)
        {
            // Tool results answer the previous assistant turn, so they come before this turn's own words (reference §1.3).
            messages.AddRange(ToolResults);
            if (IsAssistant)
            {
                messages.Add(new OllamaChatMessage
                {
                    Role = "assistant",
                    Content = string.Join('\n', Texts),
                    Thinking = Thinking.Length > 0 ? Thinking.ToString() : null,
                    ToolCalls = ToolCalls.Count > 0 ? ToolCalls : null,
                });
            }
            else if (Texts.Count > 0 || Images.Count > 0 || ToolResults.Count == 0)
            {
                messages.Add(new OllamaChatMessage
                {
                    Role = Role,
                    Content = string.Join('\n', Texts),
                    Images = Images.Count > 0 ? Images : null,
                });
            }
        }
    }
}
