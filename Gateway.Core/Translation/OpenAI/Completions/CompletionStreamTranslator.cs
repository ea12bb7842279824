using System.Buffers;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>
/// Turns Ollama's NDJSON <c>/api/generate</c> stream into OpenAI's SSE stream of <c>text_completion</c> chunks, one
/// complete line at a time. Same contract as <see cref="Chat.ChatStreamTranslator"/>; one instance per response, not
/// thread-safe.
/// </summary>
/// <remarks>
/// Sequence written (wire reference §2.5 and §3.6):
/// <list type="number">
/// <item>One chunk per line with a non-empty <c>response</c>: <c>choices[0].text</c> is the piece and
/// <c>finish_reason</c> is null. Lines with no text are skipped: thinking models send many, since native
/// <c>thinking</c> is dropped (a legacy completion has no field for reasoning, and it must not leak into
/// <c>text</c>).</item>
/// <item>The <c>done:true</c> line always gives one chunk, carrying its own text (often empty) and the
/// <c>finish_reason</c>, as OpenAI's final legacy chunk does. Its <c>context</c> array is never read.</item>
/// <item>Only with include_usage: a chunk with <c>choices:[]</c> and the usage; every earlier chunk then carries
/// <c>"usage":null</c>, as OpenAI does; without it no chunk has the key. (Ollama's layer instead puts zeroed usage
/// on every chunk, which a client summing usage would misread.)</item>
/// <item>An <c>{"error":..}</c> line, or a line that is not a valid generate object, becomes an SSE error event
/// (openai-node throws an <c>APIError</c> on it) and ends the stream: no fake <c>finish_reason</c>, no <c>[DONE]</c>.</item>
/// </list>
/// All chunks share one <c>id</c> and one <c>created</c> (Ollama's layer stamps each chunk with "now"). Text is
/// written from the line's UTF-8 bytes without decoding; the writer's default encoder escapes non-ASCII as
/// <c>\uXXXX</c>, which every client decodes, as the chat stream does.
/// <para>The caller's part is the chat stream's: split upstream bytes on <c>\n</c> as bytes, flush after each call
/// that wrote something, call <see cref="IStreamTranslator.WriteError"/> if the upstream ends or stalls before
/// <see cref="IStreamTranslator.TranslateLine"/> returned true, and call <see cref="IStreamTranslator.WriteDone"/> at the end.</para>
/// <para>Framing, usage, <c>[DONE]</c> and errors are <see cref="OpenAISseStream{TLine}"/>'s, shared with chat.</para>
/// </remarks>
internal sealed class CompletionStreamTranslator : OpenAISseStream<OllamaGenerateLine>
{
    /// <summary>Creates the translator for one response; every chunk carries the same id, created and model.</summary>
    /// <param name="id">Completion id, normally from <see cref="NewId"/>.</param>
    /// <param name="created">Unix seconds, fixed for the whole stream.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="includeUsage"><c>stream_options.include_usage</c>.</param>
    public CompletionStreamTranslator(string id, long created, string model, bool includeUsage)
        : base(id, created, model, includeUsage, CompletionJsonNames.TextCompletionObject,
            "The upstream server sent a stream line that is not a valid Ollama generate object.")
    {
    }

    /// <summary>A new completion id: <c>cmpl-</c> and 29 random letters and digits (Ollama's own take only 999 values).</summary>
    public static string NewId() => RandomId("cmpl-");

    /// <inheritdoc/>
    protected override void WriteLineChunks(IBufferWriter<byte> output)
    {
        if (Line.Done)
        {
            WriteTextChunk(output, Line.Response, OpenAIFinishReason.Of(Line));
        }
        else if (!Line.Response.IsEmpty)
        {
            WriteTextChunk(output, Line.Response, finishReason: null);
        }
    }

    private void WriteTextChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> text, JsonEncodedText? finishReason)
    {
        Utf8JsonWriter writer = BeginChoice(output);
        writer.WriteString(CompletionJsonNames.Text, text);
        writer.WriteNumber(OpenAIJsonNames.Index, 0);
        writer.WriteNull(OpenAIJsonNames.Logprobs);
        if (finishReason is { } reason)
        {
            writer.WriteString(OpenAIJsonNames.FinishReason, reason);
        }
        else
        {
            writer.WriteNull(OpenAIJsonNames.FinishReason);
        }

        EndChunk(output, writer);
    }
}
