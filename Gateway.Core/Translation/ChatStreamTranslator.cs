using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation;

/// <summary>
/// Turns Ollama's NDJSON chat stream into OpenAI's SSE chunk stream, one complete line at a time. One instance per
/// response; not thread-safe.
/// </summary>
/// <remarks>
/// Sequence written (reference §2.4 and §3.5, Ollama ≥ v0.32.6, which matches OpenAI):
/// <list type="number">
/// <item>The first chunk carries <c>delta.role:"assistant"</c>, later ones never do. It is written for the first line
/// even when that line is empty (with <c>content:""</c>), so the client sees the role at once.</item>
/// <item>After it, lines with empty content are skipped rather than sent as empty deltas: they carry nothing and
/// Ollama sends many of them around thinking and tool calls.</item>
/// <item>Native <c>tool_calls</c> (on any line, the final one included) go in their own chunk after the line's
/// content, each call whole in one <c>delta.tool_calls</c> fragment with an <c>index</c> counted across the stream; the
/// finish reason is then <c>tool_calls</c> instead of <c>stop</c> (never instead of <c>length</c>).</item>
/// <item>Native <c>thinking</c> goes in <c>delta.reasoning</c>, in its own chunk before the line's content, as
/// Ollama's layer splits it; it never enters <c>content</c>.</item>
/// <item>The <c>done:true</c> line's own content (it can carry the last piece) is sent before the finish chunk
/// <c>delta:{}</c> with <c>finish_reason</c>; then, only with include_usage, a chunk with <c>choices:[]</c> and the usage.
/// With include_usage every earlier chunk carries <c>"usage":null</c>, as OpenAI does; without it no chunk has the key.</item>
/// <item>An <c>{"error":..}</c> line, or a line that is not a valid chat object, becomes an SSE error event
/// (openai-node throws an <c>APIError</c> on it) and ends the stream: no fake <c>finish_reason</c>, no <c>[DONE]</c>.</item>
/// </list>
/// Text is written from the line's UTF-8 bytes without decoding. The writer's default encoder escapes non-ASCII
/// as <c>\uXXXX</c>: valid JSON that every client decodes, and immune to HTML/script-injection concerns that the
/// relaxed encoder would reintroduce for a browser reading the stream.
/// <para>The caller's part: split the upstream bytes on <c>\n</c> (as bytes, so a character split across reads is
/// whole again by the time a line is handed over), flush after each call that wrote something, call
/// <see cref="WriteError"/> if the upstream ends or stalls before <see cref="TranslateLine"/> returned true, and call
/// <see cref="WriteDone"/> at the end (it writes nothing unless the stream completed normally).</para>
/// </remarks>
internal sealed class ChatStreamTranslator : ISseStreamTranslator
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int IdRandomLength = 29; // OpenAI's own ids carry 29 characters after "chatcmpl-".

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private static ReadOnlySpan<byte> DoneEvent => "data: [DONE]\n\n"u8;

    private static ReadOnlySpan<byte> LineWhitespace => " \t\r\n"u8;

    private readonly JsonEncodedText _id;
    private readonly long _created;
    private readonly JsonEncodedText _model;
    private readonly bool _includeUsage;
    private readonly OllamaChatLine _line = new();
    private Utf8JsonWriter? _writer;
    private bool _roleSent;
    private int _toolCallCount;
    private bool _doneWritten;

    /// <summary>Creates the translator for one response; every chunk carries the same id, created and model.</summary>
    /// <param name="id">Completion id, normally from <see cref="NewId"/>.</param>
    /// <param name="created">Unix seconds, fixed for the whole stream.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="includeUsage"><c>stream_options.include_usage</c>.</param>
    public ChatStreamTranslator(string id, long created, string model, bool includeUsage)
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
            WriteError(output, "The upstream server sent a stream line that is not a valid Ollama chat object.", ChatJsonNames.ApiErrorType);
            return true;
        }

        if (_line.Error is not null)
        {
            // Ollama's mid-stream failure: one {"error":"..."} line and no done:true after it.
            WriteError(output, _line.Error, ChatJsonNames.ApiErrorType);
            return true;
        }

        if (!_line.Thinking.IsEmpty)
        {
            WriteDeltaChunk(output, ChatJsonNames.Reasoning, _line.Thinking);
        }

        // The opening chunk carries the role: with content "" when the first line has nothing else to say, but on the
        // tool-call chunk when the first line is only a call (OpenAI's own first chunk then has no content).
        if (!_line.Content.IsEmpty || (!_roleSent && _line.ToolCalls.Count == 0))
        {
            WriteDeltaChunk(output, ChatJsonNames.Content, _line.Content);
        }

        if (_line.ToolCalls.Count > 0)
        {
            WriteToolCallsChunk(output, _line.ToolCalls);
        }

        if (!_line.Done)
        {
            return false;
        }

        // "stop" becomes "tool_calls" once any call was streamed; "length" stays (reference §3.5 step 5, pitfall 4).
        WriteFinishChunk(output, _toolCallCount > 0 && !_line.StoppedForLength ? ChatJsonNames.ToolCalls : _line.FinishReason);
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

    /// <summary>A new completion id: <c>chatcmpl-</c> and 29 random letters and digits (Ollama's own take only 999 values).</summary>
    public static string NewId() => "chatcmpl-" + RandomNumberGenerator.GetString(IdAlphabet, IdRandomLength);

    /// <summary>Writes a chunk whose delta holds one text field (content or reasoning), plus the role if first.</summary>
    private void WriteDeltaChunk(IBufferWriter<byte> output, JsonEncodedText field, ReadOnlySpan<byte> text)
    {
        Utf8JsonWriter writer = BeginChunk(output);
        writer.WriteStartObject(ChatJsonNames.Delta);
        if (!_roleSent)
        {
            writer.WriteString(ChatJsonNames.Role, ChatJsonNames.Assistant);
            _roleSent = true;
        }

        writer.WriteString(field, text);

        writer.WriteEndObject();
        writer.WriteNull(ChatJsonNames.Logprobs);
        writer.WriteNull(ChatJsonNames.FinishReason);
        EndChunk(output, writer);
    }

    /// <summary>
    /// Writes one chunk with the line's calls as <c>delta.tool_calls</c>, each whole (id, type, name and the full
    /// arguments string), indexed across the whole stream as Ollama's layer and OpenAI clients expect.
    /// </summary>
    private void WriteToolCallsChunk(IBufferWriter<byte> output, IReadOnlyList<OllamaLineToolCall> calls)
    {
        Utf8JsonWriter writer = BeginChunk(output);
        writer.WriteStartObject(ChatJsonNames.Delta);
        if (!_roleSent)
        {
            writer.WriteString(ChatJsonNames.Role, ChatJsonNames.Assistant);
            _roleSent = true;
        }

        ChatToolCallJson.Write(writer, calls, _toolCallCount);
        _toolCallCount += calls.Count;
        writer.WriteEndObject();
        writer.WriteNull(ChatJsonNames.Logprobs);
        writer.WriteNull(ChatJsonNames.FinishReason);
        EndChunk(output, writer);
    }

    private void WriteFinishChunk(IBufferWriter<byte> output, JsonEncodedText finishReason)
    {
        Utf8JsonWriter writer = BeginChunk(output);
        writer.WriteStartObject(ChatJsonNames.Delta);
        writer.WriteEndObject();
        writer.WriteNull(ChatJsonNames.Logprobs);
        writer.WriteString(ChatJsonNames.FinishReason, finishReason);
        EndChunk(output, writer);
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

    /// <summary>Opens a chunk up to inside its single choice object.</summary>
    private Utf8JsonWriter BeginChunk(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginEvent(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray(ChatJsonNames.Choices);
        writer.WriteStartObject();
        writer.WriteNumber(ChatJsonNames.Index, 0);
        return writer;
    }

    /// <summary>Closes the choice and the chunk opened by <see cref="BeginChunk"/>.</summary>
    private void EndChunk(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (_includeUsage)
        {
            writer.WriteNull(ChatJsonNames.Usage);
        }

        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(ChatJsonNames.Id, _id);
        writer.WriteString(ChatJsonNames.Object, ChatJsonNames.ChatCompletionChunkObject);
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
