using OllamaGateway.Json;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;
using OllamaGateway.Translation.OpenAI;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Translates an OpenAI <c>POST /v1/chat/completions</c> body into an Ollama <c>POST /api/chat</c> body.
/// </summary>
/// <remarks>
/// Reading is a hand-written <see cref="Utf8JsonReader"/> walk, not DTO binding, because the checks need what
/// binding hides: every key as written (to refuse duplicates, case variants and unknown fields, see
/// <see cref="JsonKeyTracker"/>), the exact path of a bad value for the error's <c>param</c>
/// (<c>messages[2].content[1].type</c>), and null treated as absent. Writing goes through the source-generated
/// <see cref="OllamaJsonContext"/> from the checked values only, so no client byte is ever forwarded.
/// To add a feature, move its key into <see cref="ChatRequestFields"/>, read it here (or in a reader beside this one,
/// such as <see cref="ChatToolsReader"/>) into <see cref="ChatRequestDraft"/>, and give the native DTO the field.
/// </remarks>
internal static class ChatRequestTranslator
{
    /// <summary>
    /// Translates the client's body. Exactly one of the returned values is non-null.
    /// </summary>
    /// <param name="openAiJson">The raw request body.</param>
    public static (ChatTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> openAiJson)
    {
        var draft = new ChatRequestDraft();
        TranslationError? error = ReadRootObject(openAiJson, ChatRequestFields.TopLevel, draft, ReadTopLevelValue)
            ?? CheckRequired(draft);
        if (error is not null)
        {
            return (null, error);
        }

        OllamaChatRequest native = draft.ToOllamaRequest();
        byte[] body;
        try
        {
            body = JsonSerializer.SerializeToUtf8Bytes(native, OllamaJsonContext.Default.OllamaChatRequest);
        }
        catch (JsonException)
        {
            // Copied JSON (tool parameters, a schema, parsed tool-call arguments) is decoded only when written: an
            // escaped lone surrogate ("\ud800") inside it is not text and cannot be written, so it is the client's bad JSON.
            return (null, RequestErrors.InvalidJson());
        }
        bool stream = draft.Stream ?? false;

        // include_usage only means something for a stream (OpenAI refuses it otherwise; Ollama ignores it).
        bool includeUsage = stream && (draft.IncludeUsage ?? false);
        return (new ChatTranslation(native.Model, stream, includeUsage, body, draft.User, draft.Logprobs == true), null);
    }

    private static TranslationError? CheckRequired(ChatRequestDraft draft)
    {
        if (draft.Model is null)
        {
            return RequestErrors.Missing("model");
        }

        if (draft.Messages is null)
        {
            return RequestErrors.Missing("messages");
        }

        // OpenAI's rule: alternatives only make sense for tokens whose probabilities were asked for. Ollama would
        // silently return none, so the client would not learn why its top_logprobs went unanswered.
        if (draft.TopLogprobs is not null && draft.Logprobs != true)
        {
            return RequestErrors.InvalidValue("top_logprobs", "top_logprobs requires logprobs to be true.");
        }

        return null;
    }

    private static TranslationError? ReadTopLevelValue(ref Utf8JsonReader reader, string name, ChatRequestDraft draft)
    {
        if (ChatRequestFields.IsPlatformOnly(name))
        {
            reader.Skip();
            return null;
        }

        if (TryReadSharedValue(ref reader, name, draft, ChatRequestFields.StreamOptions, out TranslationError? error))
        {
            return error;
        }

        switch (name)
        {
            case "messages":
                return ReadMessages(ref reader, draft);
            case "max_completion_tokens":
                error = ReadTokenLimit(ref reader, name, out int? maxCompletionTokens);
                draft.MaxCompletionTokens = maxCompletionTokens;
                return error;
            case "n":
                error = ReadInt64(ref reader, name, out long? n);
                if (error is null && n is not null && n != 1)
                {
                    // One choice is all Ollama produces; answering n>1 with one choice would silently break callers.
                    return RequestErrors.InvalidValue(name, "this gateway only supports n = 1.");
                }

                return error;
            case "tools":
                error = ChatToolsReader.ReadTools(ref reader, out List<OllamaTool>? tools);
                draft.Tools = tools;
                return error;
            case "tool_choice":
                error = ChatToolsReader.ReadToolChoice(ref reader, out bool dropTools);
                draft.DropTools = dropTools;
                return error;
            case "parallel_tool_calls":
                return ChatToolsReader.ReadParallelToolCalls(ref reader);
            case "response_format":
                error = ChatResponseFormatReader.Read(ref reader, out JsonElement? format);
                draft.Format = format;
                return error;
            case "reasoning_effort":
                error = ReasoningEffort.Read(ref reader, out JsonElement? think);
                draft.Think = think;
                return error;
            case "logprobs":
                error = ReadBool(ref reader, name, out bool? logprobs);
                draft.Logprobs = logprobs;
                return error;
            case "top_logprobs":
                error = ReadInt64(ref reader, name, out long? topLogprobs);
                if (error is null && topLogprobs is < 0 or > 20)
                {
                    // Both OpenAI and Ollama refuse values outside 0-20; checked here so the client gets OpenAI's 400.
                    return RequestErrors.InvalidValue(name, "top_logprobs must be between 0 and 20.");
                }

                draft.TopLogprobs = (int?)topLogprobs;
                return error;
            default:
                Debug.Assert(Array.IndexOf(ChatRequestFields.Mapped, name) < 0, $"Mapped key '{name}' has no reader.");
                return RequestErrors.Unsupported(name);
        }
    }

    private static TranslationError? ReadMessages(ref Utf8JsonReader reader, ChatRequestDraft draft)
    {
        const string Param = "messages";
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null; // null means absent; the missing-parameter check after the walk reports it.
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return RequestErrors.InvalidType(Param, "an array", reader.TokenType);
        }

        var messages = new List<OllamaChatMessage>();

        // Call id -> function name of the assistant tool calls seen so far, so a tool result can name its function
        // (native tool_name, which templates render; Ollama's layer resolves it the same way, reference §3.3). A later
        // call with a reused id wins, as Ollama searches from the most recent message backwards.
        var toolCallNames = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            TranslationError? error = ReadMessage(ref reader, messages.Count, toolCallNames, out OllamaChatMessage? message);
            if (error is not null)
            {
                return error;
            }

            messages.Add(message!);
        }

        // Never forward an empty array: native /api/chat takes it as "load the model" (or unload, with keep_alive 0).
        if (messages.Count == 0)
        {
            return RequestErrors.EmptyArray(Param);
        }

        draft.Messages = messages;
        return null;
    }

    private static TranslationError? ReadMessage(
        ref Utf8JsonReader reader, int index, Dictionary<string, string> toolCallNames, out OllamaChatMessage? message)
    {
        message = null;
        string path = $"messages[{index}]";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? role = null;
        string? content = null;
        List<string>? images = null;
        string? toolCallId = null;
        List<OllamaToolCall>? toolCalls = null;
        bool sawToolCalls = false;
        var keys = new JsonKeyTracker(ChatRequestFields.Message);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            sawToolCalls |= name == "tool_calls" && reader.TokenType != JsonTokenType.Null;
            error ??= name switch
            {
                "role" => ReadString(ref reader, param, out role),
                "content" => ReadContent(ref reader, param, out content, out images),
                "name" => ReadString(ref reader, param, out _), // participant name: Ollama has none; dropped, as Ollama's layer does.
                "tool_calls" => ChatToolCallsReader.ReadToolCalls(ref reader, param, out toolCalls),
                "tool_call_id" => ReadString(ref reader, param, out toolCallId),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (role is null)
        {
            return RequestErrors.Missing($"{path}.role");
        }

        string? nativeRole = role switch
        {
            "system" or "user" or "assistant" or "tool" => role,

            // Native templates know no developer role and silently drop such messages; system is its meaning.
            "developer" => "system",
            _ => null,
        };
        if (nativeRole is null)
        {
            return RequestErrors.InvalidValue(
                $"{path}.role", $"'{ClientText.Quote(role)}' is not a supported role. Supported: system, developer, user, assistant, tool.");
        }

        // Only assistant messages carry tool calls (OpenAI's schema); elsewhere they would be a client mix-up.
        if (sawToolCalls && nativeRole != "assistant")
        {
            return RequestErrors.Unsupported($"{path}.tool_calls");
        }

        // Content may be null or absent only on an assistant message that calls tools (reference §2.2, pitfall 8).
        if (content is null && toolCalls is null)
        {
            return RequestErrors.Missing($"{path}.content");
        }

        // OpenAI takes image parts in user messages only; elsewhere a model template would not expect them.
        if (images is not null && nativeRole != "user")
        {
            return RequestErrors.InvalidValue($"{path}.content", "image parts are only allowed in user messages.");
        }

        string? toolName = null;
        if (nativeRole == "tool")
        {
            if (string.IsNullOrEmpty(toolCallId))
            {
                return RequestErrors.Missing($"{path}.tool_call_id");
            }

            if (!toolCallNames.TryGetValue(toolCallId, out toolName))
            {
                return RequestErrors.InvalidValue(
                    $"{path}.tool_call_id", $"no earlier assistant message has a tool call with id '{ClientText.Quote(toolCallId)}'.");
            }
        }
        else if (toolCallId is not null)
        {
            return RequestErrors.Unsupported($"{path}.tool_call_id");
        }

        foreach (OllamaToolCall call in toolCalls ?? [])
        {
            toolCallNames[call.Id!] = call.Function.Name;
        }

        message = new OllamaChatMessage
        {
            Role = nativeRole,
            Content = content ?? string.Empty,
            Images = images,
            ToolCalls = toolCalls,
            ToolName = toolName,
            ToolCallId = toolCallId,
        };
        return null;
    }

    private static TranslationError? ReadContent(ref Utf8JsonReader reader, string param, out string? content, out List<string>? images)
    {
        content = null;
        images = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                content = reader.GetString();
                return null;
            case JsonTokenType.StartArray:
                return ReadContentParts(ref reader, param, out content, out images);
            default:
                return RequestErrors.InvalidType(param, "a string or an array of content parts", reader.TokenType);
        }
    }

    /// <summary>
    /// Joins the text parts into the one native string (native content is a string only) and collects the image
    /// parts into the same message's <c>images</c>. The reference's recommended deviation from Ollama, which instead
    /// splits parts into several same-role messages (§3.3). Text parts are joined with a newline so separate parts
    /// never run into one word; the position of images among the text is not kept, as natively it cannot be.
    /// </summary>
    private static TranslationError? ReadContentParts(ref Utf8JsonReader reader, string param, out string? content, out List<string>? images)
    {
        content = null;
        images = null;
        var text = new StringBuilder();
        int index = 0;
        int textParts = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string partPath = $"{param}[{index}]";
            TranslationError? error = ReadContentPart(ref reader, partPath, out string? partText, out string? image);
            if (error is not null)
            {
                return error;
            }

            if (image is not null)
            {
                (images ??= []).Add(image);
            }
            else
            {
                if (textParts > 0)
                {
                    text.Append('\n');
                }

                text.Append(partText);
                textParts++;
            }

            index++;
        }

        if (index == 0)
        {
            return RequestErrors.EmptyArray(param);
        }

        content = text.ToString();
        return null;
    }

    private static TranslationError? ReadContentPart(ref Utf8JsonReader reader, string path, out string? text, out string? image)
    {
        text = null;
        image = null;
        bool sawImageUrl = false;
        string? imageUrl = null;
        string imageUrlPath = path;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? type = null;
        bool hasOtherPayload = false;
        string? otherPayloadKey = null;
        var keys = new JsonKeyTracker(ChatRequestFields.ContentPart);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            if (error is null)
            {
                switch (name)
                {
                    case "type":
                        error = ReadString(ref reader, param, out type);
                        break;
                    case "text":
                        error = ReadString(ref reader, param, out text);
                        break;
                    case "image_url":
                        sawImageUrl = reader.TokenType != JsonTokenType.Null;
                        error = ChatImageUrlReader.ReadImageUrl(ref reader, param, out imageUrl, out imageUrlPath);
                        break;
                    case "input_audio" or "file" or "refusal":
                        // Payloads of part types the gateway does not translate; the refusal below names the type.
                        hasOtherPayload = true;
                        otherPayloadKey = name;
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

        // The one switch to extend when more part types (input_audio) are translated.
        switch (type)
        {
            case null:
                return RequestErrors.Missing($"{path}.type");
            case "text":
                if (hasOtherPayload || sawImageUrl)
                {
                    return RequestErrors.Unsupported($"{path}.{otherPayloadKey ?? "image_url"}");
                }

                return text is null ? RequestErrors.Missing($"{path}.text") : null;
            case "image_url":
                if (hasOtherPayload || text is not null)
                {
                    return RequestErrors.Unsupported($"{path}.{otherPayloadKey ?? "text"}");
                }

                if (!sawImageUrl)
                {
                    return RequestErrors.Missing($"{path}.image_url");
                }

                return imageUrl is null
                    ? RequestErrors.Missing(imageUrlPath)
                    : ChatImageUrlReader.ToBase64(imageUrl, imageUrlPath, out image);
            default:
                return RequestErrors.InvalidValue(
                    $"{path}.type", $"content parts of type '{ClientText.Quote(type)}' are not supported by this gateway; only 'text' and 'image_url' are.");
        }
    }
}
