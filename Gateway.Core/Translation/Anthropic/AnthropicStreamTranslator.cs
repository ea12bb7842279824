using System.Buffers;
using System.Text.Json;
using OllamaGateway.Errors;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Turns Ollama's NDJSON chat stream into Anthropic's SSE event stream (reference §1.5), one complete line at a time. One
/// instance per response; not thread-safe.
/// </summary>
/// <remarks>
/// Sequence written: <c>message_start</c> (with <c>content:[]</c>, null stop fields and zero usage: it goes out before
/// Ollama has counted anything), then each block as <c>content_block_start</c>, its deltas and <c>content_block_stop</c>,
/// blocks never overlapping and indexed from 0 in the order they appear; then <c>message_delta</c> with the stop reason
/// and Ollama's real counts (the SDKs overwrite the start's usage with them) and <c>message_stop</c>. Thinking goes in
/// a <c>thinking</c> block (<c>thinking_delta</c>), text in a <c>text</c> block (<c>text_delta</c>); a switch between the
/// two closes one block and opens the next. Each native tool call is one <c>tool_use</c> block whose whole input is one
/// <c>input_json_delta</c> (Ollama sends calls whole). <c>ping</c> comes from <see cref="WriteKeepAlive"/> while Ollama is
/// silent. A native error line, an invalid line, or a failure the exchange reports, becomes <c>event: error</c> and the
/// stream ends without <c>message_stop</c>, as Anthropic's API does (Ollama's own layer sends neither ping nor error).
/// Every event has its <c>event:</c> line: the SDKs drop frames without one.
/// </remarks>
internal sealed class AnthropicStreamTranslator : IStreamTranslator
{
    private static readonly JsonEncodedText s_textDelta = JsonEncodedText.Encode("text_delta");
    private static readonly JsonEncodedText s_thinkingDelta = JsonEncodedText.Encode("thinking_delta");
    private static readonly JsonEncodedText s_inputJsonDelta = JsonEncodedText.Encode("input_json_delta");
    private static readonly JsonEncodedText s_partialJson = JsonEncodedText.Encode("partial_json");
    private static readonly JsonEncodedText s_delta = JsonEncodedText.Encode("delta");

    private readonly string _id;
    private readonly string _model;
    private readonly OllamaChatLine _line = new();
    private Utf8JsonWriter? _writer;
    private bool _started;
    private Block _open;
    private int _nextIndex;
    private int _toolCalls;

    /// <summary>Creates the translator for one response.</summary>
    /// <param name="id">The message id, from <see cref="AnthropicIds.Message"/>.</param>
    /// <param name="model">The model as the client sent it.</param>
    public AnthropicStreamTranslator(string id, string model)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(model);
        _id = id;
        _model = model;
    }

    private enum Block
    {
        None,
        Text,
        Thinking,
    }

    /// <inheritdoc/>
    public StreamState State { get; private set; }

    /// <inheritdoc/>
    public TokenUsage Usage { get; private set; }

    /// <inheritdoc/>
    public int ContentChunks { get; private set; }

    private static ReadOnlySpan<byte> LineWhitespace => " \t\r\n"u8;

    /// <inheritdoc/>
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

        if (!_line.TryParse(ndjsonLine))
        {
            WriteErrorEvent(output, "api_error", "The upstream server sent a stream line that is not a valid Ollama chat object.");
            return true;
        }

        if (_line.Error is not null)
        {
            // Ollama's mid-stream failure: one {"error":"..."} line and no done line after it.
            WriteErrorEvent(output, "api_error", _line.Error);
            return true;
        }

        WriteMessageStart(output);
        if (_line.CarriesOutput)
        {
            ContentChunks++;
        }

        // One line may carry thinking and content; thinking comes first (reference §0).
        if (!_line.Thinking.IsEmpty)
        {
            WriteTextDelta(output, Block.Thinking, _line.Thinking);
        }

        if (!_line.Content.IsEmpty)
        {
            WriteTextDelta(output, Block.Text, _line.Content);
        }

        foreach (OllamaLineToolCall call in _line.ToolCalls)
        {
            WriteToolUse(output, call);
        }

        if (!_line.Done)
        {
            return false;
        }

        CloseBlock(output);
        Usage = new TokenUsage(_line.PromptEvalCount, _line.EvalCount);
        Utf8JsonWriter writer = BeginEvent(output, "message_delta"u8);
        writer.WriteStartObject(s_delta);
        writer.WriteString(AnthropicJson.StopReason, AnthropicStopReason.Of(_line.StoppedForLength, _toolCalls));
        writer.WriteNull(AnthropicJson.StopSequence);
        writer.WriteEndObject();
        AnthropicJson.WriteUsage(writer, _line.PromptEvalCount, _line.EvalCount);
        EndEvent(output, writer);

        writer = BeginEvent(output, "message_stop"u8);
        EndEvent(output, writer);
        State = StreamState.Completed;
        return true;
    }

    /// <summary>Nothing: <c>message_stop</c> already ended a completed stream.</summary>
    public void WriteDone(IBufferWriter<byte> output)
    {
    }

    /// <inheritdoc/>
    public void WriteError(IBufferWriter<byte> output, string message) => WriteErrorEvent(output, "api_error", message);

    /// <inheritdoc/>
    public void WriteUpstreamError(IBufferWriter<byte> output, int status, string message) =>
        WriteErrorEvent(output, AnthropicErrorJson.TypeFor(status), message);

    /// <summary>Writes <c>message_start</c> if it has not gone out yet, then a <c>ping</c>.</summary>
    public void WriteKeepAlive(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State != StreamState.Open)
        {
            return;
        }

        WriteMessageStart(output);
        EndEvent(output, BeginEvent(output, "ping"u8));
    }

    private void WriteMessageStart(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        Utf8JsonWriter writer = BeginEvent(output, "message_start"u8);
        writer.WritePropertyName("message"u8);
        AnthropicJson.WriteMessageHead(writer, _id, _model);
        writer.WriteEndArray();
        writer.WriteNull(AnthropicJson.StopReason);
        writer.WriteNull(AnthropicJson.StopSequence);
        AnthropicJson.WriteUsage(writer, 0, 0);
        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private void WriteTextDelta(IBufferWriter<byte> output, Block block, ReadOnlySpan<byte> text)
    {
        bool thinking = block == Block.Thinking;
        if (_open != block)
        {
            CloseBlock(output);
            Utf8JsonWriter start = BeginBlockStart(output);
            if (thinking)
            {
                start.WriteString(AnthropicJson.Type, AnthropicJson.Thinking);
                start.WriteString(AnthropicJson.Thinking, ""u8);
                start.WriteString(AnthropicJson.Signature, ""u8);
            }
            else
            {
                start.WriteString(AnthropicJson.Type, AnthropicJson.Text);
                start.WriteString(AnthropicJson.Text, ""u8);
            }

            EndBlockStart(output, start);
            _open = block;
        }

        Utf8JsonWriter writer = BeginDelta(output);
        writer.WriteString(AnthropicJson.Type, thinking ? s_thinkingDelta : s_textDelta);
        writer.WriteString(thinking ? AnthropicJson.Thinking : AnthropicJson.Text, text);
        EndDelta(output, writer);
    }

    private void WriteToolUse(IBufferWriter<byte> output, OllamaLineToolCall call)
    {
        CloseBlock(output);
        Utf8JsonWriter writer = BeginEvent(output, "content_block_start"u8);
        writer.WriteNumber(AnthropicJson.Index, _nextIndex);
        writer.WritePropertyName("content_block"u8);
        AnthropicJson.WriteToolUse(writer, AnthropicIds.ToolUse(), call, withInput: false);
        EndEvent(output, writer);

        writer = BeginDelta(output);
        writer.WriteString(AnthropicJson.Type, s_inputJsonDelta);
        writer.WriteString(s_partialJson, call.Arguments);
        EndDelta(output, writer);

        WriteBlockStop(output);
        _toolCalls++;
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_open == Block.None)
        {
            return;
        }

        WriteBlockStop(output);
        _open = Block.None;
    }

    private void WriteBlockStop(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginEvent(output, "content_block_stop"u8);
        writer.WriteNumber(AnthropicJson.Index, _nextIndex);
        EndEvent(output, writer);
        _nextIndex++;
    }

    private Utf8JsonWriter BeginBlockStart(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginEvent(output, "content_block_start"u8);
        writer.WriteNumber(AnthropicJson.Index, _nextIndex);
        writer.WriteStartObject("content_block"u8);
        return writer;
    }

    private static void EndBlockStart(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    private Utf8JsonWriter BeginDelta(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginEvent(output, "content_block_delta"u8);
        writer.WriteNumber(AnthropicJson.Index, _nextIndex);
        writer.WriteStartObject(s_delta);
        return writer;
    }

    private static void EndDelta(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        EndEvent(output, writer);
    }

    /// <summary>Writes <c>event: error</c> (only the first) and ends the stream; no <c>message_stop</c> follows.</summary>
    private void WriteErrorEvent(IBufferWriter<byte> output, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        if (State != StreamState.Open)
        {
            return;
        }

        output.Write("event: error\ndata: "u8);
        Utf8JsonWriter writer = Writer(output);
        AnthropicErrorJson.Write(writer, type, message);
        writer.Flush();
        output.Write("\n\n"u8);
        State = StreamState.Failed;
    }

    /// <summary>Opens an event: <c>event: NAME</c>, then its data object with <c>"type":NAME</c> written.</summary>
    private Utf8JsonWriter BeginEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> name)
    {
        output.Write("event: "u8);
        output.Write(name);
        output.Write("\ndata: "u8);
        Utf8JsonWriter writer = Writer(output);
        writer.WriteStartObject();
        writer.WriteString(AnthropicJson.Type, name);
        return writer;
    }

    private static void EndEvent(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();

        // Flush first: the writer holds bytes it has not yet advanced past in the output.
        writer.Flush();
        output.Write("\n\n"u8);
    }

    /// <summary>One writer per response, re-pointed at the output each event; Reset also clears its depth and state.</summary>
    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
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
}
