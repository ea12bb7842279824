using System.Diagnostics;
using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Translation.Ollama;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Translates an OpenAI <c>POST /v1/responses</c> body (stateless use) into an Ollama <c>POST /api/chat</c> body, with the
/// same key checks as the other translators. What the Codex CLI sends in normal use (reference §4) is accepted; state
/// kept on OpenAI's servers (<c>previous_response_id</c>, <c>conversation</c>, <c>background</c>, stored prompts) and
/// hosted tools are refused with a 400 saying what to do instead.
/// </summary>
internal static class ResponsesRequestTranslator
{
    /// <summary>Translates the client's body. Exactly one of the returned values is non-null.</summary>
    public static (ResponsesTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> json)
    {
        var draft = new ResponsesRequestDraft();
        TranslationError? error = ReadRootObject(json, ResponsesRequestFields.TopLevel, draft, ReadTopLevelValue);
        if (error is not null)
        {
            return (null, error);
        }

        if (draft.Model is null)
        {
            return (null, RequestErrors.Missing("model"));
        }

        if (draft.Input is null)
        {
            return (null, RequestErrors.Missing("input"));
        }

        error = ResponsesInputReader.Read(draft.Input.Value, out List<OllamaChatMessage>? messages);
        List<OllamaTool>? tools = null;
        Dictionary<string, ResponsesTool> toolMap = new(StringComparer.Ordinal);
        bool dropTools = false;
        if (error is null && draft.Tools is { } rawTools)
        {
            error = ResponsesToolsReader.Read(rawTools, out tools, out toolMap);
        }

        if (error is null && draft.ToolChoice is { } choice)
        {
            error = ResponsesToolsReader.ReadToolChoice(choice, out dropTools);
        }

        if (error is not null)
        {
            return (null, error);
        }

        OllamaChatRequest native = draft.ToOllamaRequest(messages!, tools, dropTools);
        byte[] body;
        try
        {
            body = JsonSerializer.SerializeToUtf8Bytes(native, OllamaJsonContext.Default.OllamaChatRequest);
        }
        catch (JsonException)
        {
            return (null, RequestErrors.InvalidJson());
        }

        return (new ResponsesTranslation(native.Model, native.Stream, body, draft.User, draft.ToEcho(), toolMap), null);
    }

    private static TranslationError? ReadTopLevelValue(ref Utf8JsonReader reader, string name, ResponsesRequestDraft draft)
    {
        if (ResponsesRequestFields.IsPlatformOnly(name))
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
            case "input":
                draft.Input = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
                return null;
            case "instructions":
                error = ReadString(ref reader, name, out string? instructions);
                draft.Instructions = instructions;
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
            case "max_output_tokens":
                error = ReadTokenLimit(ref reader, name, out int? maxOutputTokens);
                draft.MaxOutputTokens = maxOutputTokens;
                return error;
            case "user":
                error = ReadString(ref reader, name, out string? user);
                draft.User = user;
                return error;
            case "parallel_tool_calls":
                // Ollama has no switch for it; echoed, as Codex sends it on every request.
                error = ReadBool(ref reader, name, out bool? parallel);
                draft.ParallelToolCalls = parallel;
                return error;
            case "tools":
                draft.Tools = ReadValue(ref reader);
                return null;
            case "tool_choice":
                draft.ToolChoice = ReadValue(ref reader);
                return null;
            case "metadata":
                error = ExpectObject(ref reader, name, out bool present);
                draft.Metadata = error is null && present ? JsonElement.ParseValue(ref reader) : null;
                return error;
            case "text":
                return ReadText(ref reader, draft);
            case "reasoning":
                return ReadReasoning(ref reader, draft);
            case "previous_response_id" or "conversation":
                return reader.TokenType == JsonTokenType.Null ? null : RequestErrors.InvalidValue(
                    name, $"'{name}' needs responses stored on the server, which Ollama does not keep; send the full conversation in 'input' instead.");
            case "prompt":
                return reader.TokenType == JsonTokenType.Null ? null : RequestErrors.InvalidValue(
                    name, "stored prompts live on OpenAI's platform and are not supported by this gateway; send 'instructions' and 'input' instead.");
            case "background":
                error = ReadBool(ref reader, name, out bool? background);
                return error ?? (background == true ? RequestErrors.InvalidValue(name, "background responses need server-side storage, which Ollama does not keep; use stream instead.") : null);
            case "max_tool_calls":
                // It limits OpenAI's hosted tool calls; here every call is the client's own, so there is nothing to count.
                error = ReadInt64(ref reader, name, out long? maxToolCalls);
                return error ?? (maxToolCalls is not null ? RequestErrors.Unsupported(name) : null);
            case "top_logprobs":
                error = ReadInt64(ref reader, name, out long? topLogprobs);
                return error ?? (topLogprobs is > 0 ? RequestErrors.Unsupported(name) : null);
            default:
                Debug.Assert(Array.IndexOf(ResponsesRequestFields.Mapped, name) < 0, $"Mapped key '{name}' has no reader.");
                return RequestErrors.Unsupported(name);
        }
    }

    private static JsonElement? ReadValue(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);

    /// <summary>
    /// <c>text</c>: <c>format</c> <c>text</c> (nothing), <c>json_object</c> (native <c>"json"</c>) or <c>json_schema</c> (its
    /// schema as native <c>format</c>); <c>verbosity</c> is accepted and has no effect (Codex sends it).
    /// </summary>
    private static TranslationError? ReadText(ref Utf8JsonReader reader, ResponsesRequestDraft draft)
    {
        const string Param = "text";
        TranslationError? error = ExpectObject(ref reader, Param, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        JsonElement text = JsonElement.ParseValue(ref reader);
        draft.Text = text;
        error = JsonElementChecks.CheckKeys(text, Param, ResponsesRequestFields.Text, requireType: false, out _)
            ?? JsonElementChecks.Allow(text, Param, ["format", "verbosity"])
            ?? JsonElementChecks.GetString(text, Param, "verbosity", required: false, out _);
        if (error is not null || !text.TryGetProperty("format", out JsonElement format) || format.ValueKind == JsonValueKind.Null)
        {
            return error;
        }

        const string FormatPath = "text.format";
        if (format.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType(FormatPath, "an object", JsonElementChecks.TokenOf(format));
        }

        error = JsonElementChecks.CheckKeys(format, FormatPath, ResponsesRequestFields.Format, requireType: false, out string? type)
            ?? JsonElementChecks.Allow(format, FormatPath, ["type", "name", "schema", "strict", "description"]);
        if (error is not null)
        {
            return error;
        }

        switch (type)
        {
            case null:
                return RequestErrors.Missing($"{FormatPath}.type");
            case "text":
                return null;
            case "json_object":
                draft.Format = JsonElement.Parse("\"json\"");
                return null;
            case "json_schema":
                error = JsonElementChecks.GetObject(format, FormatPath, "schema", out JsonElement? schema);
                if (error is null && schema is null)
                {
                    error = RequestErrors.Missing($"{FormatPath}.schema");
                }

                draft.Format = schema;
                return error;
            default:
                return RequestErrors.InvalidValue($"{FormatPath}.type", $"'{type}' is not one of 'text', 'json_object', 'json_schema'.");
        }
    }

    /// <summary>
    /// <c>reasoning</c>: <c>effort</c> → native <c>think</c> (as <c>reasoning_effort</c> on chat: none → off, minimal/low →
    /// low, medium, high, xhigh/max → max); <c>summary</c> is accepted and echoed (the thinking Ollama returns is the summary).
    /// </summary>
    private static TranslationError? ReadReasoning(ref Utf8JsonReader reader, ResponsesRequestDraft draft)
    {
        const string Param = "reasoning";
        TranslationError? error = ExpectObject(ref reader, Param, out bool present);
        if (error is not null || !present)
        {
            return error;
        }

        JsonElement reasoning = JsonElement.ParseValue(ref reader);
        draft.Reasoning = reasoning;
        string? effort = null;
        error = JsonElementChecks.CheckKeys(reasoning, Param, ResponsesRequestFields.Reasoning, requireType: false, out _)
            ?? JsonElementChecks.Allow(reasoning, Param, ["effort", "summary", "generate_summary"])
            ?? JsonElementChecks.GetString(reasoning, Param, "summary", required: false, out _)
            ?? JsonElementChecks.GetString(reasoning, Param, "generate_summary", required: false, out _)
            ?? JsonElementChecks.GetString(reasoning, Param, "effort", required: false, out effort);
        if (error is not null || effort is null)
        {
            return error;
        }

        error = ReasoningEffort.Map(effort, "reasoning.effort", out JsonElement? think);
        draft.Think = think;
        return error;
    }
}
