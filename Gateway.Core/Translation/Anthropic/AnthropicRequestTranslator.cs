using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Translation.Ollama;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Translates an Anthropic <c>POST /v1/messages</c> body into an Ollama <c>POST /api/chat</c> body.
/// </summary>
/// <remarks>
/// The same hand-written <see cref="Utf8JsonReader"/> walk as the OpenAI translators (duplicate and case-variant keys
/// refused through <see cref="JsonKeyTracker"/>, the exact path of a bad value in the message, null as absent), and the
/// same source-generated native writer, so no client byte is forwarded unchecked. What Claude Code sends in normal use
/// (reference §4) is accepted: bookkeeping keys are dropped (<see cref="AnthropicRequestFields.PlatformOnly"/>), and what
/// would change the answer but cannot be honoured (documents, server tools, MCP servers, containers, forced tool
/// choice, URL images) is refused with a 400 naming it.
/// </remarks>
internal static class AnthropicRequestTranslator
{
    /// <summary>
    /// Reads and checks the client's body into the native request. Either the error is null or the other two are.
    /// <paramref name="requireMaxTokens"/> is false for <c>count_tokens</c>, whose body has no <c>max_tokens</c>.
    /// </summary>
    public static (AnthropicRequestDraft? Draft, OllamaChatRequest? Native, TranslationError? Error) Read(ReadOnlySpan<byte> json, bool requireMaxTokens = true)
    {
        var draft = new AnthropicRequestDraft();
        TranslationError? error = ReadRootObject(json, AnthropicRequestFields.TopLevel, draft, ReadTopLevelValue)
            ?? CheckRequired(draft, requireMaxTokens);
        return error is null ? (draft, draft.ToOllamaRequest(), null) : (null, null, error);
    }

    /// <summary>Translates the client's body into the native body. Exactly one of the returned values is non-null.</summary>
    public static (AnthropicTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> json)
    {
        var (draft, native, error) = Read(json);
        if (error is not null)
        {
            return (null, error);
        }

        byte[] body;
        try
        {
            body = JsonSerializer.SerializeToUtf8Bytes(native!, OllamaJsonContext.Default.OllamaChatRequest);
        }
        catch (JsonException)
        {
            // Copied JSON (a schema, tool input) holding an escaped lone surrogate cannot be written: the client's bad JSON.
            return (null, RequestErrors.InvalidJson());
        }

        return (new AnthropicTranslation(native!.Model, native.Stream, body, draft!.UserId), null);
    }

    private static TranslationError? CheckRequired(AnthropicRequestDraft draft, bool requireMaxTokens)
    {
        if (draft.Model is null)
        {
            return RequestErrors.Missing("model");
        }

        if (draft.MaxTokens is null && requireMaxTokens)
        {
            // Required by Anthropic's API; without it the request would run to the gateway's cap.
            return RequestErrors.Missing("max_tokens");
        }

        return draft.Messages is null ? RequestErrors.Missing("messages") : null;
    }

    private static TranslationError? ReadTopLevelValue(ref Utf8JsonReader reader, string name, AnthropicRequestDraft draft)
    {
        if (AnthropicRequestFields.IsPlatformOnly(name))
        {
            reader.Skip();
            return null;
        }

        TranslationError? error;
        switch (name)
        {
            case "model":
                error = ReadModel(ref reader, name, out string? model);
                draft.Model = model;
                return error;
            case "max_tokens":
                error = ReadTokenLimit(ref reader, name, out int? maxTokens);
                draft.MaxTokens = maxTokens;
                return error;
            case "messages":
                error = AnthropicMessagesReader.ReadMessages(ref reader, out List<OllamaChatMessage>? messages);
                draft.Messages = messages;
                return error;
            case "system":
                error = ReadSystem(ref reader, out string? system);
                draft.System = system;
                return error;
            case "stream":
                error = ReadBool(ref reader, name, out bool? stream);
                draft.Stream = stream;
                return error;
            case "temperature":
                error = ReadNumber(ref reader, name, out double? temperature);
                draft.Temperature = temperature;
                return error;
            case "top_p":
                error = ReadNumber(ref reader, name, out double? topP);
                draft.TopP = topP;
                return error;
            case "top_k":
                error = ReadInt64(ref reader, name, out long? topK);
                if (error is null && topK is < 0 or > int.MaxValue)
                {
                    return RequestErrors.InvalidValue(name, "top_k must be a non-negative integer.");
                }

                draft.TopK = (int?)topK;
                return error;
            case "stop_sequences":
                error = ReadStop(ref reader, name, out List<string>? stop);
                draft.StopSequences = stop;
                return error;
            case "tools":
                error = AnthropicToolsReader.ReadTools(ref reader, out List<OllamaTool>? tools);
                draft.Tools = tools;
                return error;
            case "tool_choice":
                error = AnthropicToolsReader.ReadToolChoice(ref reader, out bool dropTools);
                draft.DropTools = dropTools;
                return error;
            case "thinking":
                error = ReadThinking(ref reader, out bool thinking);
                draft.Thinking = thinking;
                return error;
            case "metadata":
                error = ReadMetadata(ref reader, out string? userId);
                draft.UserId = userId;
                return error;
            case "output_config":
                return ReadOutputConfig(ref reader, draft);
            case "output_format":
                error = ReadOutputFormat(ref reader, name, out JsonElement? format);
                draft.Format ??= format;
                return error;
            case "container" or "mcp_servers":
                // A code-execution container and server-side MCP connections are run by Anthropic's platform; the
                // model here would be promised tools nobody runs. Null or empty means unused and is fine.
                return IsEmptyValue(ref reader) ? null : RequestErrors.InvalidValue(
                    name, $"'{name}' needs Anthropic's servers (code execution containers, server-side MCP) and is not supported by this gateway.");
            default:
                Debug.Assert(Array.IndexOf(AnthropicRequestFields.Mapped, name) < 0, $"Mapped key '{name}' has no reader.");
                return RequestErrors.Unsupported(name);
        }
    }

    /// <summary>Whether the value is null, an empty array or an empty object; skips it either way.</summary>
    private static bool IsEmptyValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
        {
            reader.Skip();
            return false;
        }

        long start = reader.TokenStartIndex;
        reader.Skip();
        return reader.BytesConsumed - start == 2;
    }

    /// <summary>
    /// <c>system</c>: a string, or text blocks whose texts are joined with a newline so that separate blocks never run
    /// into one word. <c>cache_control</c> on them is accepted and dropped, like everywhere.
    /// </summary>
    private static TranslationError? ReadSystem(ref Utf8JsonReader reader, out string? system)
    {
        const string Param = "system";
        system = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                system = reader.GetString();
                return null;
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                int index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    TranslationError? error = AnthropicMessagesReader.ReadTextBlock(ref reader, $"{Param}[{index}]", out string? blockText);
                    if (error is not null)
                    {
                        return error;
                    }

                    if (index > 0)
                    {
                        text.Append('\n');
                    }

                    text.Append(blockText);
                    index++;
                }

                system = index == 0 ? null : text.ToString();
                return null;
            default:
                return RequestErrors.InvalidType(Param, "a string or an array of text blocks", reader.TokenType);
        }
    }

    /// <summary>
    /// <c>thinking</c>: <c>enabled</c> (with <c>budget_tokens</c>, which Ollama cannot honour: thinking runs within
    /// <c>max_tokens</c>), <c>adaptive</c> (the model decides) or <c>disabled</c>. Claude Code sends enabled or adaptive.
    /// </summary>
    private static TranslationError? ReadThinking(ref Utf8JsonReader reader, out bool thinking)
    {
        const string Param = "thinking";
        thinking = false;
        TranslationError? error = ExpectObject(ref reader, Param, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        string? type = null;
        var keys = new JsonKeyTracker(AnthropicRequestFields.Thinking);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Param}.{name}";
            error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "type" => ReadString(ref reader, param, out type),
                "budget_tokens" => ReadInt64(ref reader, param, out _),
                "display" => ReadString(ref reader, param, out _),
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
            case "enabled" or "adaptive" or "between_tools":
                thinking = true;
                return null;
            case "disabled":
                return null;
            default:
                return RequestErrors.InvalidValue($"{Param}.type", $"'{type}' is not one of 'enabled', 'adaptive', 'between_tools', 'disabled'.");
        }
    }

    /// <summary><c>metadata</c>: only <c>user_id</c>, recorded as the end user and never sent to Ollama.</summary>
    private static TranslationError? ReadMetadata(ref Utf8JsonReader reader, out string? userId)
    {
        const string Param = "metadata";
        userId = null;
        TranslationError? error = ExpectObject(ref reader, Param, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        var keys = new JsonKeyTracker(AnthropicRequestFields.Metadata);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Param}.{name}";
            error = RequestErrors.ForKey(keys.Add(name), param)
                ?? (name == "user_id" ? ReadString(ref reader, param, out userId) : RequestErrors.Unsupported(param));
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>output_config</c>: <c>effort</c> is accepted and has no effect (an Ollama thinking level on a model without
    /// thinking would be a 400, and Claude Code sends it with every request); <c>format</c> (a JSON schema) becomes
    /// native <c>format</c>.
    /// </summary>
    private static TranslationError? ReadOutputConfig(ref Utf8JsonReader reader, AnthropicRequestDraft draft)
    {
        const string Param = "output_config";
        TranslationError? error = ExpectObject(ref reader, Param, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        var keys = new JsonKeyTracker(AnthropicRequestFields.OutputConfig);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{Param}.{name}";
            error = RequestErrors.ForKey(keys.Add(name), param);
            if (error is null)
            {
                switch (name)
                {
                    case "effort":
                        error = ReadString(ref reader, param, out _);
                        break;
                    case "format":
                        error = ReadOutputFormat(ref reader, param, out JsonElement? format);
                        draft.Format = format ?? draft.Format;
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

    /// <summary>A structured-output format: <c>{"type":"json_schema","schema":{...}}</c> → the schema as native <c>format</c>.</summary>
    private static TranslationError? ReadOutputFormat(ref Utf8JsonReader reader, string path, out JsonElement? format)
    {
        format = null;
        TranslationError? error = ExpectObject(ref reader, path, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        string? type = null;
        JsonElement? schema = null;
        var keys = new JsonKeyTracker(AnthropicRequestFields.OutputFormat);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "type" => ReadString(ref reader, param, out type),
                "schema" => ReadJsonObject(ref reader, param, out schema),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (type != "json_schema")
        {
            return type is null
                ? RequestErrors.Missing($"{path}.type")
                : RequestErrors.InvalidValue($"{path}.type", $"'{type}' is not supported; only 'json_schema' is.");
        }

        if (schema is null)
        {
            return RequestErrors.Missing($"{path}.schema");
        }

        format = schema;
        return null;
    }
}
