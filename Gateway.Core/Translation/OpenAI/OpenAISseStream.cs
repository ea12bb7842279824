using System.Buffers;
using System.Text.Json;
using OllamaGateway.Errors;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// The part of an OpenAI SSE stream that chat and legacy completions share: SSE framing, the chunk header (one id,
/// created and model for the whole stream), the state machine, the <c>"usage":null</c> rule, the usage chunk,
/// <c>[DONE]</c> and the error event. Subclasses write only their own content chunks, so both endpoints end, fail
/// and count usage the same way. One instance per response; not thread-safe.
/// </summary>
/// <typeparam name="TLine">The native line reader for the endpoint.</typeparam>
internal abstract class OpenAISseStream<TLine> : IStreamTranslator
    where TLine : OllamaStreamLine, new()
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int IdRandomLength = 29; // OpenAI's own ids carry 29 characters after the prefix.

    private readonly JsonEncodedText _id;
    private readonly long _created;
    private readonly JsonEncodedText _model;
    private readonly bool _includeUsage;
    private readonly JsonEncodedText _objectName;
    private readonly string _invalidLineMessage;
    private Utf8JsonWriter? _writer;
    private bool _doneWritten;

    /// <summary>Creates the stream for one response; every chunk carries the same id, created and model.</summary>
    /// <param name="id">Completion id.</param>
    /// <param name="created">Unix seconds, fixed for the whole stream.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="includeUsage"><c>stream_options.include_usage</c>.</param>
    /// <param name="objectName">The chunks' <c>object</c>.</param>
    /// <param name="invalidLineMessage">The error event's message for a line that is not a valid native object.</param>
    /// <param name="line">The reader for every line, when the subclass configures it; a new one otherwise.</param>
    protected OpenAISseStream(
        string id, long created, string model, bool includeUsage, JsonEncodedText objectName, string invalidLineMessage,
        TLine? line = null)
    {
        Line = line ?? new TLine();
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(model);
        _id = JsonEncodedText.Encode(id);
        _created = created;
        _model = JsonEncodedText.Encode(model);
        _includeUsage = includeUsage;
        _objectName = objectName;
        _invalidLineMessage = invalidLineMessage;
    }

    /// <summary>Where the stream is; the pipeline can tell a normal end from a failed one.</summary>
    public StreamState State { get; private set; }

    /// <inheritdoc/>
    public TokenUsage Usage { get; private set; }

    /// <inheritdoc/>
    public int ContentChunks { get; private set; }

    /// <summary>The current line, as parsed by <see cref="TranslateLine"/>.</summary>
    protected TLine Line { get; }

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private static ReadOnlySpan<byte> DoneEvent => "data: [DONE]\n\n"u8;

    private static ReadOnlySpan<byte> LineWhitespace => " \t\r\n"u8;

    /// <summary>
    /// Translates one NDJSON line (without its <c>\n</c>) into zero or more SSE events. Returns true when the stream
    /// is finished: the done line was handled, or an error event was written. Blank lines are ignored; lines after
    /// the finish are ignored and return true.
    /// </summary>
    public bool TranslateLine(ReadOnlySpan<byte> ndjsonLine, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State != StreamState.Open)
        {
            return true;
        }

        if (ndjsonLine.IndexOfAnyExcept(LineWhitespace) < 0)
        {
            return false;
        }

        if (!Line.TryParse(ndjsonLine))
        {
            WriteError(output, _invalidLineMessage, OpenAIJsonNames.ApiErrorType);
            return true;
        }

        if (Line.Error is not null)
        {
            // Ollama's mid-stream failure: one {"error":"..."} line and no done:true after it.
            WriteError(output, Line.Error, OpenAIJsonNames.ApiErrorType);
            return true;
        }

        if (Line.CarriesOutput)
        {
            ContentChunks++;
        }

        WriteLineChunks(output);
        if (!Line.Done)
        {
            return false;
        }

        Usage = new TokenUsage(Line.PromptEvalCount, Line.EvalCount);

        if (_includeUsage)
        {
            WriteUsageChunk(output, Line.PromptEvalCount, Line.EvalCount);
        }

        State = StreamState.Completed;
        return true;
    }

    /// <summary>
    /// Writes the terminal <c>data: [DONE]</c>, once, and only after a normal finish: after an error (or if the done
    /// line never came) the stream must just end, so the client does not mistake a cut-off reply for a whole one.
    /// </summary>
    public void WriteDone(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State != StreamState.Completed || _doneWritten)
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
        if (State == StreamState.Failed)
        {
            return;
        }

        Utf8JsonWriter writer = BeginEvent(output);
        OpenAIErrorJson.Write(writer, message, type, param: null, code: null);
        EndEvent(output, writer);
        State = StreamState.Failed;
    }

    /// <inheritdoc/>
    void IStreamTranslator.WriteError(IBufferWriter<byte> output, string message) =>
        WriteError(output, message, OpenAIJsonNames.ApiErrorType);

    /// <summary>A new id: <paramref name="prefix"/> and 29 random letters and digits (Ollama's own take only 999 values).</summary>
    /// <remarks>
    /// Completion ids label answers; they grant nothing, so they need to be unique, not unguessable. The shared
    /// pseudo-random generator (randomly seeded per process) makes one in a fraction of the time the cryptographic
    /// one takes, which was a visible share of a translated request.
    /// </remarks>
    protected static string RandomId(string prefix) =>
        string.Create(prefix.Length + IdRandomLength, prefix, static (id, prefix) =>
        {
            prefix.CopyTo(id);
            Random.Shared.GetItems(IdAlphabet, id[prefix.Length..]);
        });

    /// <summary>
    /// Writes the content chunks of the valid, non-error <see cref="Line"/>, and its finish chunk when it is the done
    /// line; the usage chunk and the state change follow here.
    /// </summary>
    protected abstract void WriteLineChunks(IBufferWriter<byte> output);

    /// <summary>Opens a chunk up to inside its single choice object; close it with <see cref="EndChunk"/>.</summary>
    protected Utf8JsonWriter BeginChoice(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginEvent(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray(OpenAIJsonNames.Choices);
        writer.WriteStartObject();
        return writer;
    }

    /// <summary>Closes the choice and the chunk opened by <see cref="BeginChoice"/>.</summary>
    protected void EndChunk(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (_includeUsage)
        {
            writer.WriteNull(OpenAIJsonNames.Usage);
        }

        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private void WriteUsageChunk(IBufferWriter<byte> output, long promptEvalCount, long evalCount)
    {
        Utf8JsonWriter writer = BeginEvent(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray(OpenAIJsonNames.Choices);
        writer.WriteEndArray();
        UsageJson.Write(writer, promptEvalCount, evalCount);
        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(OpenAIJsonNames.Id, _id);
        writer.WriteString(OpenAIJsonNames.Object, _objectName);
        writer.WriteNumber(OpenAIJsonNames.Created, _created);
        writer.WriteString(OpenAIJsonNames.Model, _model);
        writer.WriteString(OpenAIJsonNames.SystemFingerprint, OpenAIJsonNames.OllamaFingerprint);
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
