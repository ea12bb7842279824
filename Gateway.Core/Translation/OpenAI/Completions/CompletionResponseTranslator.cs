using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>Translates Ollama's non-streamed <c>/api/generate</c> reply into an OpenAI <c>text_completion</c>.</summary>
/// <remarks>
/// Reads through the same <see cref="OllamaGenerateLine"/> as the stream, so both paths map finish reason and usage
/// identically. Native <c>thinking</c> is dropped: the legacy shape has only <c>text</c>, and reasoning must not
/// be passed off as the answer.
/// </remarks>
internal static class CompletionResponseTranslator
{
    /// <summary>
    /// Translates <paramref name="ollamaJson"/>, or returns false with <paramref name="error"/> set: the upstream's own
    /// message for an <c>{"error":..}</c> body, or a description of why the body could not be read. The pipeline
    /// answers false with a 502-class OpenAI error.
    /// </summary>
    /// <param name="ollamaJson">The native reply body (status 200).</param>
    /// <param name="id">The completion id, see <see cref="CompletionStreamTranslator.NewId"/>.</param>
    /// <param name="created">Unix seconds.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="openAiJson">The translated body, when true is returned.</param>
    /// <param name="error">Why translation failed, when false is returned.</param>
    public static bool TryTranslate(
        ReadOnlySpan<byte> ollamaJson,
        string id,
        long created,
        string model,
        [NotNullWhen(true)] out byte[]? openAiJson,
        [NotNullWhen(false)] out string? error) =>
        TryTranslate(ollamaJson, id, created, model, out openAiJson, out error, out _);

    /// <inheritdoc cref="TryTranslate(ReadOnlySpan{byte}, string, long, string, out byte[], out string)"/>
    /// <param name="ollamaJson">The native reply body (status 200).</param>
    /// <param name="id">The completion id.</param>
    /// <param name="created">Unix seconds.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="openAiJson">The translated body, when true is returned.</param>
    /// <param name="error">Why translation failed, when false is returned.</param>
    /// <param name="usage">The counts Ollama reported.</param>
    public static bool TryTranslate(
        ReadOnlySpan<byte> ollamaJson,
        string id,
        long created,
        string model,
        [NotNullWhen(true)] out byte[]? openAiJson,
        [NotNullWhen(false)] out string? error,
        out TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(model);

        if (!OpenAIReplyJson.TryRead(
            ollamaJson, "The upstream server sent a reply that is not a valid Ollama generate object.", out OllamaGenerateLine? line, out error))
        {
            openAiJson = null;
            usage = default;
            return false;
        }

        usage = new TokenUsage(line.PromptEvalCount, line.EvalCount);
        int capacity = 256 + (line.Response.Length * 2);
        openAiJson = OpenAIReplyJson.Write(line, id, created, model, CompletionJsonNames.TextCompletionObject, capacity, WriteChoice);
        return true;
    }

    private static void WriteChoice(Utf8JsonWriter writer, OllamaGenerateLine line)
    {
        writer.WriteString(CompletionJsonNames.Text, line.Response);
        writer.WriteNumber(OpenAIJsonNames.Index, 0);
        writer.WriteNull(OpenAIJsonNames.Logprobs);

        // A missing done_reason finishes as "stop" (Ollama's layer says null): OpenAI clients expect a reason
        // on a complete reply, and load/unload must never reach them.
        writer.WriteString(OpenAIJsonNames.FinishReason, OpenAIFinishReason.Of(line));
    }
}
