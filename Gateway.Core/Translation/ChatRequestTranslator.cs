using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation;

/// <summary>
/// Translates an OpenAI <c>POST /v1/chat/completions</c> body into an Ollama <c>POST /api/chat</c> body.
/// </summary>
/// <remarks>
/// Reading is a hand-written <see cref="Utf8JsonReader"/> walk, not DTO binding, because the checks need what
/// binding hides: every key as written (to refuse duplicates, case variants and unknown fields, see
/// <see cref="JsonKeySet"/>), the exact path of a bad value for the error's <c>param</c>
/// (<c>messages[2].content[1].type</c>), and null treated as absent. Writing goes through the source-generated
/// <see cref="OllamaJsonContext"/> from the checked values only, so no client byte is ever forwarded.
/// To add a feature (tools, images, response_format), move its key into <see cref="ChatRequestFields"/>, read it
/// here into <see cref="ChatRequestDraft"/>, and give the native DTO the field.
/// </remarks>
internal static class ChatRequestTranslator
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>
    /// Translates the client's body. Exactly one of the returned values is non-null.
    /// </summary>
    /// <param name="openAiJson">The raw request body.</param>
    public static (ChatTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> openAiJson)
    {
        // Checked up front so that string reads below can only fail on bad escapes, never on bad bytes.
        if (!Utf8.IsValid(openAiJson))
        {
            return (null, RequestErrors.InvalidJson());
        }

        var reader = new Utf8JsonReader(openAiJson, ReaderOptions);
        var draft = new ChatRequestDraft();
        TranslationError? error;
        try
        {
            error = ReadRequest(ref reader, draft);
        }
        catch (JsonException)
        {
            error = RequestErrors.InvalidJson();
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for an escaped lone surrogate ("\ud800"); the token type is
            // always checked before reading, so this is the only way here.
            error = RequestErrors.InvalidJson();
        }

        if (error is not null)
        {
            return (null, error);
        }

        OllamaChatRequest native = draft.ToOllamaRequest();
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(native, OllamaJsonContext.Default.OllamaChatRequest);
        bool stream = draft.Stream ?? false;

        // include_usage only means something for a stream (OpenAI refuses it otherwise; Ollama ignores it).
        bool includeUsage = stream && (draft.IncludeUsage ?? false);
        return (new ChatTranslation(native.Model, stream, includeUsage, body, draft.User), null);
    }

    private static TranslationError? ReadRequest(ref Utf8JsonReader reader, ChatRequestDraft draft)
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

        var keys = new JsonKeySet(ChatRequestFields.TopLevel);
        while (ReadProperty(ref reader, out string name))
        {
            TranslationError? error = keys.Add(name, name) ?? ReadTopLevelValue(ref reader, name, draft);
            if (error is not null)
            {
                return error;
            }
        }

        // Anything after the root object is not JSON (a second value, garbage): Read throws on it.
        if (reader.Read())
        {
            return RequestErrors.InvalidJson();
        }

        if (draft.Model is null)
        {
            return RequestErrors.Missing("model");
        }

        if (draft.Messages is null)
        {
            return RequestErrors.Missing("messages");
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

        TranslationError? error = null;
        switch (name)
        {
            case "model":
                error = ReadString(ref reader, name, out string? model);
                if (error is null && model is not null)
                {
                    if (model.Length == 0)
                    {
                        return RequestErrors.InvalidValue(name, "the model name must not be empty.");
                    }

                    draft.Model = model;
                }

                return error;
            case "messages":
                return ReadMessages(ref reader, draft);
            case "stream":
                error = ReadBool(ref reader, name, out bool? stream);
                draft.Stream = stream;
                return error;
            case "stream_options":
                return ReadStreamOptions(ref reader, draft);
            case "temperature":
                error = ReadNumber(ref reader, name, out double? temperature);
                draft.Temperature = temperature;
                return error;
            case "top_p":
                error = ReadNumber(ref reader, name, out double? topP);
                draft.TopP = topP;
                return error;
            case "presence_penalty":
                error = ReadNumber(ref reader, name, out double? presence);
                draft.PresencePenalty = presence;
                return error;
            case "frequency_penalty":
                error = ReadNumber(ref reader, name, out double? frequency);
                draft.FrequencyPenalty = frequency;
                return error;
            case "max_tokens":
                error = ReadTokenLimit(ref reader, name, out int? maxTokens);
                draft.MaxTokens = maxTokens;
                return error;
            case "max_completion_tokens":
                error = ReadTokenLimit(ref reader, name, out int? maxCompletionTokens);
                draft.MaxCompletionTokens = maxCompletionTokens;
                return error;
            case "seed":
                error = ReadInt64(ref reader, name, out long? seed);
                draft.Seed = seed;
                return error;
            case "stop":
                error = ReadStop(ref reader, out List<string>? stop);
                draft.Stop = stop;
                return error;
            case "n":
                error = ReadInt64(ref reader, name, out long? n);
                if (error is null && n is not null && n != 1)
                {
                    // One choice is all Ollama produces; answering n>1 with one choice would silently break callers.
                    return RequestErrors.InvalidValue(name, "this gateway only supports n = 1.");
                }

                return error;
            case "user":
                error = ReadString(ref reader, name, out string? user);
                draft.User = user;
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
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            TranslationError? error = ReadMessage(ref reader, messages.Count, out OllamaChatMessage? message);
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

    private static TranslationError? ReadMessage(ref Utf8JsonReader reader, int index, out OllamaChatMessage? message)
    {
        message = null;
        string path = $"messages[{index}]";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? role = null;
        string? content = null;
        string? toolCallId = null;
        var keys = new JsonKeySet(ChatRequestFields.Message);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = keys.Add(name, param);
            error ??= name switch
            {
                "role" => ReadString(ref reader, param, out role),
                "content" => ReadContent(ref reader, param, out content),
                "name" => ReadString(ref reader, param, out _), // participant name: Ollama has none; dropped, as Ollama's layer does.
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
                $"{path}.role", $"'{role}' is not a supported role. Supported: system, developer, user, assistant, tool.");
        }

        if (content is null)
        {
            // Only an assistant message with tool_calls may omit content, and tool_calls are not supported yet.
            return RequestErrors.Missing($"{path}.content");
        }

        if (toolCallId is not null && nativeRole != "tool")
        {
            return RequestErrors.Unsupported($"{path}.tool_call_id");
        }

        message = new OllamaChatMessage { Role = nativeRole, Content = content, ToolCallId = toolCallId };
        return null;
    }

    private static TranslationError? ReadContent(ref Utf8JsonReader reader, string param, out string? content)
    {
        content = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                content = reader.GetString();
                return null;
            case JsonTokenType.StartArray:
                return ReadContentParts(ref reader, param, out content);
            default:
                return RequestErrors.InvalidType(param, "a string or an array of content parts", reader.TokenType);
        }
    }

    /// <summary>
    /// Joins the text parts into the one native string (native content is a string only). The reference's
    /// recommended deviation from Ollama, which instead splits parts into several same-role messages. Parts are
    /// joined with a newline so separate parts never run into one word.
    /// </summary>
    private static TranslationError? ReadContentParts(ref Utf8JsonReader reader, string param, out string? content)
    {
        content = null;
        var text = new StringBuilder();
        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string partPath = $"{param}[{index}]";
            TranslationError? error = ReadContentPart(ref reader, partPath, out string? partText);
            if (error is not null)
            {
                return error;
            }

            if (index > 0)
            {
                text.Append('\n');
            }

            text.Append(partText);
            index++;
        }

        if (index == 0)
        {
            return RequestErrors.EmptyArray(param);
        }

        content = text.ToString();
        return null;
    }

    private static TranslationError? ReadContentPart(ref Utf8JsonReader reader, string path, out string? text)
    {
        text = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(path, "an object", reader.TokenType);
        }

        string? type = null;
        bool hasOtherPayload = false;
        string? otherPayloadKey = null;
        var keys = new JsonKeySet(ChatRequestFields.ContentPart);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = keys.Add(name, param);
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
                    case "image_url" or "input_audio" or "file" or "refusal":
                        // Payloads of part types translated in later issues; the refusal below names the type.
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

        // The one switch to extend when image_url (and later input_audio) parts are translated.
        switch (type)
        {
            case null:
                return RequestErrors.Missing($"{path}.type");
            case "text":
                if (hasOtherPayload)
                {
                    return RequestErrors.Unsupported($"{path}.{otherPayloadKey}");
                }

                return text is null ? RequestErrors.Missing($"{path}.text") : null;
            default:
                return RequestErrors.InvalidValue(
                    $"{path}.type", $"content parts of type '{type}' are not supported by this gateway; only 'text' is.");
        }
    }

    private static TranslationError? ReadStreamOptions(ref Utf8JsonReader reader, ChatRequestDraft draft)
    {
        const string Path = "stream_options";
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RequestErrors.InvalidType(Path, "an object", reader.TokenType);
        }

        var keys = new JsonKeySet(ChatRequestFields.StreamOptions);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Path}.{name}";
            TranslationError? error = keys.Add(name, param);
            if (error is null)
            {
                switch (name)
                {
                    case "include_usage":
                        error = ReadBool(ref reader, param, out bool? includeUsage);
                        draft.IncludeUsage = includeUsage;
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

    private static TranslationError? ReadStop(ref Utf8JsonReader reader, out List<string>? stop)
    {
        const string Param = "stop";
        stop = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                string single = reader.GetString()!;
                if (single.Length == 0)
                {
                    return RequestErrors.InvalidValue(Param, "stop sequences must not be empty.");
                }

                stop = [single];
                return null;
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        // Ollama's layer drops non-strings silently; a client that sent one expects it to apply.
                        return RequestErrors.InvalidType($"{Param}[{list.Count}]", "a string", reader.TokenType);
                    }

                    string item = reader.GetString()!;
                    if (item.Length == 0)
                    {
                        return RequestErrors.InvalidValue($"{Param}[{list.Count}]", "stop sequences must not be empty.");
                    }

                    list.Add(item);
                }

                // An empty native stop list would replace the model's own stop tokens with none: treat [] as absent.
                stop = list.Count == 0 ? null : list;
                return null;
            default:
                return RequestErrors.InvalidType(Param, "a string or an array of strings", reader.TokenType);
        }
    }

    /// <summary>
    /// Advances to the next property of the current object. Returns false at the object's end; otherwise the
    /// reader is left on the property's value and <paramref name="name"/> holds the key.
    /// </summary>
    private static bool ReadProperty(ref Utf8JsonReader reader, out string name)
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

    private static TranslationError? ReadString(ref Utf8JsonReader reader, string param, out string? value)
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

    private static TranslationError? ReadBool(ref Utf8JsonReader reader, string param, out bool? value)
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

    private static TranslationError? ReadNumber(ref Utf8JsonReader reader, string param, out double? value)
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

    private static TranslationError? ReadInt64(ref Utf8JsonReader reader, string param, out long? value)
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

    private static TranslationError? ReadTokenLimit(ref Utf8JsonReader reader, string param, out int? value)
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
}
