using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>Translates Ollama's non-streamed <c>/api/chat</c> reply into an OpenAI <c>chat.completion</c>.</summary>
/// <remarks>
/// Written with <see cref="Utf8JsonWriter"/> and the shared <see cref="OpenAIJsonNames"/>, reading through the same
/// <see cref="OllamaChatLine"/> as the stream, so both paths map fields identically (finish reason, usage, thinking).
/// </remarks>
internal static class ChatResponseTranslator
{
    /// <summary>
    /// Translates <paramref name="ollamaJson"/>. Throws <see cref="JsonException"/> when it is not a valid native chat
    /// object or is an <c>{"error":..}</c> object; use <see cref="TryTranslate(ReadOnlySpan{byte}, string, long, string, out byte[], out string)"/> to get that as a value instead.
    /// </summary>
    /// <param name="ollamaJson">The native reply body (status 200).</param>
    /// <param name="id">The completion id, see <see cref="ChatStreamTranslator.NewId"/>.</param>
    /// <param name="created">Unix seconds.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="logprobs">Whether the client asked for <c>logprobs</c>, see <see cref="ChatTranslation.Logprobs"/>.</param>
    public static byte[] Translate(ReadOnlySpan<byte> ollamaJson, string id, long created, string model, bool logprobs = false)
    {
        if (!TryTranslate(ollamaJson, id, created, model, logprobs, out byte[]? openAiJson, out string? error))
        {
            throw new JsonException(error);
        }

        return openAiJson;
    }

    /// <summary>
    /// Translates <paramref name="ollamaJson"/>, or returns false with <paramref name="error"/> set: the upstream's own
    /// error message for an <c>{"error":..}</c> body, or a description of why the body could not be read. The
    /// pipeline answers false with a 502-class OpenAI error.
    /// </summary>
    public static bool TryTranslate(
        ReadOnlySpan<byte> ollamaJson,
        string id,
        long created,
        string model,
        [NotNullWhen(true)] out byte[]? openAiJson,
        [NotNullWhen(false)] out string? error) =>
        TryTranslate(ollamaJson, id, created, model, logprobs: false, out openAiJson, out error);

    /// <summary>
    /// As <see cref="TryTranslate(ReadOnlySpan{byte}, string, long, string, out byte[], out string)"/>; with
    /// <paramref name="logprobs"/> (the client asked for them) the choice carries the native per-token logprobs.
    /// </summary>
    public static bool TryTranslate(
        ReadOnlySpan<byte> ollamaJson,
        string id,
        long created,
        string model,
        bool logprobs,
        [NotNullWhen(true)] out byte[]? openAiJson,
        [NotNullWhen(false)] out string? error) =>
        TryTranslate(ollamaJson, id, created, model, logprobs, out openAiJson, out error, out _);

    /// <summary>As above, and with the counts Ollama reported in <paramref name="usage"/>.</summary>
    /// <param name="ollamaJson">The native reply body (status 200).</param>
    /// <param name="id">The completion id.</param>
    /// <param name="created">Unix seconds.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="logprobs">Whether the client asked for <c>logprobs</c>.</param>
    /// <param name="openAiJson">The translated body, when true is returned.</param>
    /// <param name="error">Why translation failed, when false is returned.</param>
    /// <param name="usage">The counts Ollama reported.</param>
    public static bool TryTranslate(
        ReadOnlySpan<byte> ollamaJson,
        string id,
        long created,
        string model,
        bool logprobs,
        [NotNullWhen(true)] out byte[]? openAiJson,
        [NotNullWhen(false)] out string? error,
        out TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(model);

        var line = new OllamaChatLine { ReadsLogprobs = logprobs };
        if (!OpenAIReplyJson.TryRead(
            line, ollamaJson, "The upstream server sent a reply that is not a valid Ollama chat object.", out error))
        {
            openAiJson = null;
            usage = default;
            return false;
        }

        usage = new TokenUsage(line.PromptEvalCount, line.EvalCount);
        int capacity = 256 + line.Content.Length + line.Thinking.Length + (128 * line.ToolCalls.Count)
            + (logprobs ? 96 * line.Logprobs.Count : 0);
        openAiJson = OpenAIReplyJson.Write(
            line, id, created, model, OpenAIJsonNames.ChatCompletionObject, capacity,
            logprobs ? WriteChoiceWithLogprobs : WriteChoiceWithoutLogprobs);
        return true;
    }

    private static void WriteChoiceWithLogprobs(Utf8JsonWriter writer, OllamaChatLine line) => WriteChoice(writer, line, logprobs: true);

    private static void WriteChoiceWithoutLogprobs(Utf8JsonWriter writer, OllamaChatLine line) => WriteChoice(writer, line, logprobs: false);

    private static void WriteChoice(Utf8JsonWriter writer, OllamaChatLine line, bool logprobs)
    {
        writer.WriteNumber(OpenAIJsonNames.Index, 0);
        writer.WriteStartObject(OpenAIJsonNames.Message);
        writer.WriteString(OpenAIJsonNames.Role, OpenAIJsonNames.Assistant);
        bool hasToolCalls = line.ToolCalls.Count > 0;
        if (hasToolCalls && line.Content.IsEmpty)
        {
            // OpenAI's shape for a reply that only calls tools (reference pitfall 25); Ollama's layer sends "".
            writer.WriteNull(OpenAIJsonNames.Content);
        }
        else
        {
            writer.WriteString(OpenAIJsonNames.Content, line.Content);
        }

        if (!line.Thinking.IsEmpty)
        {
            // Reasoning is kept out of content, under the name Ollama's own layer uses.
            writer.WriteString(OpenAIJsonNames.Reasoning, line.Thinking);
        }

        if (hasToolCalls)
        {
            ChatToolCallJson.Write(writer, line.ToolCalls, firstIndex: null);
        }

        writer.WriteEndObject();
        if (logprobs)
        {
            // Every token's entry, thinking and tool-call tokens included, as Ollama collects them; an upstream older
            // than v0.12.11 sends none, which shows as "content":[] rather than as if they had not been asked for.
            ChatLogprobsJson.Write(writer, line.Logprobs);
        }
        else
        {
            writer.WriteNull(OpenAIJsonNames.Logprobs);
        }

        // A missing done_reason finishes as "stop" here too (Ollama's layer says null): OpenAI clients
        // expect a reason on a complete reply. A stop that called tools is "tool_calls"; "length" stays "length",
        // since the calls may be cut off (reference pitfall 4, Ollama >= v0.32.6).
        writer.WriteString(
            OpenAIJsonNames.FinishReason,
            hasToolCalls && !line.StoppedForLength ? OpenAIJsonNames.ToolCalls : OpenAIFinishReason.Of(line));
    }
}
