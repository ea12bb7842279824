using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.Completions;

/// <summary>
/// Turns Ollama's NDJSON <c>/api/generate</c> stream into OpenAI's SSE stream of <c>text_completion</c> chunks, one
/// complete line at a time. Same contract as <see cref="ChatStreamTranslator"/>; one instance per response, not
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
/// that wrote something, call <see cref="WriteError"/> if the upstream ends or stalls before
/// <see cref="TranslateLine"/> returned true, and call <see cref="WriteDone"/> at the end.</para>
/// </remarks>
internal sealed class CompletionStreamTranslator : ISseStreamTranslator
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int IdRandomLength = 29; // OpenAI's own legacy ids carry 29 characters after "cmpl-".

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private static ReadOnlySpan<byte> DoneEvent => "data: [DONE]\n\n"u8;

    private static ReadOnlySpan<byte> LineWhitespace => " \t\r\n"u8;

    private readonly JsonEncodedText _id;
    private readonly long _created;
    private readonly JsonEncodedText _model;
    private readonly bool _includeUsage;
    private readonly OllamaGenerateLine _line = new();
    private Utf8JsonWriter? _writer;
    private bool _doneWritten;

    /// <summary>Creates the translator for one response; every chunk carries the same id, created and model.</summary>
    /// <param name="id">Completion id, normally from <see cref="NewId"/>.</param>
    /// <param name="created">Unix seconds, fixed for the whole stream.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="includeUsage"><c>stream_options.include_usage</c>.</param>
    public CompletionStreamTranslator(string id, long created, string model, bool includeUsage)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(model);
        _id = JsonEncodedText.Encode(id);
        _created = created;
        _model = JsonEncodedText.Encode(model);
        _includeUsage = includeUsage;
    }

    /// <summary>Where the stream is; the pipeline can tell a normal end from a failed one.</summary>
    public ChatStreamState State { get; private set; }

    /// <summary>
    /// Translates one NDJSON line (without its <c>\n</c>) into zero or more SSE events. Returns true when the stream
    /// is finished: the done line was handled, or an error event was written. Blank lines are ignored; lines after
    /// the finish are ignored and return true.
    /// </summary>
    public bool TranslateLine(ReadOnlySpan<byte> ndjsonLine, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State != ChatStreamState.Open)
        {
            return true;
        }

        if (ndjsonLine.IndexOfAnyExcept(LineWhitespace) < 0)
        {
            return false;
        }

        if (!_line.TryParse(ndjsonLine))
        {
            WriteError(output, "The upstream server sent a stream line that is not a valid Ollama generate object.", ChatJsonNames.ApiErrorType);
            return true;
        }

        if (_line.Error is not null)
        {
            // Ollama's mid-stream failure: one {"error":"..."} line and no done:true after it.
            WriteError(output, _line.Error, ChatJsonNames.ApiErrorType);
            return true;
        }

        if (!_line.Done)
        {
            if (!_line.Response.IsEmpty)
            {
                WriteTextChunk(output, _line.Response, finishReason: null);
            }

            return false;
        }

        WriteTextChunk(output, _line.Response, _line.FinishReason);
        if (_includeUsage)
        {
            WriteUsageChunk(output, _line.PromptEvalCount, _line.EvalCount);
        }

        State = ChatStreamState.Completed;
        return true;
    }

    /// <summary>
    /// Writes the terminal <c>data: [DONE]</c>, once, and only after a normal finish: after an error (or if the done
    /// line never came) the stream must just end, so the client does not mistake a cut-off reply for a whole one.
    /// </summary>
    public void WriteDone(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State != ChatStreamState.Completed || _doneWritten)
        {
            return;
        }

        output.Write(DoneEvent);
        _doneWritten = true;
    }

    /// <summary>
    /// Writes <c>data: {"error":{"message","type","param":null,"code":null}}</c> for a failure found mid-stream
    /// (upstream dropped, idle timeout) and marks the stream failed. Only the first error is written.
    /// </summary>
    public void WriteError(IBufferWriter<byte> output, string message, string type)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(type);
        if (State == ChatStreamState.Failed)
        {
            return;
        }

        Utf8JsonWriter writer = BeginEvent(output);
        OpenAIErrorJson.Write(writer, message, type, param: null, code: null);
        EndEvent(output, writer);
        State = ChatStreamState.Failed;
    }

    /// <summary>A new completion id: <c>cmpl-</c> and 29 random letters and digits (Ollama's own take only 999 values).</summary>
    public static string NewId() => "cmpl-" + RandomNumberGenerator.GetString(IdAlphabet, IdRandomLength);

    private void WriteTextChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> text, JsonEncodedText? finishReason)
    {
        Utf8JsonWriter writer = BeginEvent(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray(ChatJsonNames.Choices);
        writer.WriteStartObject();
        writer.WriteString(CompletionJsonNames.Text, text);
        writer.WriteNumber(ChatJsonNames.Index, 0);
        writer.WriteNull(ChatJsonNames.Logprobs);
        if (finishReason is { } reason)
        {
            writer.WriteString(ChatJsonNames.FinishReason, reason);
        }
        else
        {
            writer.WriteNull(ChatJsonNames.FinishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (_includeUsage)
        {
            writer.WriteNull(ChatJsonNames.Usage);
        }

        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private void WriteUsageChunk(IBufferWriter<byte> output, long promptEvalCount, long evalCount)
    {
        Utf8JsonWriter writer = BeginEvent(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray(ChatJsonNames.Choices);
        writer.WriteEndArray();
        UsageJson.Write(writer, promptEvalCount, evalCount);
        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(ChatJsonNames.Id, _id);
        writer.WriteString(ChatJsonNames.Object, CompletionJsonNames.TextCompletionObject);
        writer.WriteNumber(ChatJsonNames.Created, _created);
        writer.WriteString(ChatJsonNames.Model, _model);
        writer.WriteString(ChatJsonNames.SystemFingerprint, ChatJsonNames.OllamaFingerprint);
    }

    private Utf8JsonWriter BeginEvent(IBufferWriter<byte> output)
    {
        output.Write(DataPrefix);

        // One writer per response, re-pointed at the output each event; Reset also clears its depth and state.
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(output);
        }
        else
        {
            _writer.Reset(output);
        }

        return _writer;
    }

    private static void EndEvent(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        // Flush first: the writer holds bytes it has not yet advanced past in the output.
        writer.Flush();
        output.Write(EventEnd);
    }
}
