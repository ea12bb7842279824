using System.Buffers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Turns Ollama's NDJSON chat stream into the Responses API's SSE events (reference §2.6), one complete line at a time. One
/// instance per response; not thread-safe.
/// </summary>
/// <remarks>
/// <c>response.created</c> and <c>response.in_progress</c> open the stream with Ollama's first line. Thinking streams as a
/// <c>reasoning</c> item (<c>reasoning_summary_part.added</c>, <c>reasoning_summary_text.delta</c>… — the part events the
/// SDKs' accumulators need and Ollama's layer leaves out), text as a <c>message</c> item (<c>content_part.added</c>,
/// <c>output_text.delta</c>…); switching between them closes the open item with its <c>.done</c> events and
/// <c>output_item.done</c> before the next is added, so <c>output_index</c> always grows (Ollama's layer reuses an index
/// when a call follows text). Each native call, whole, is a <c>function_call</c> item (arguments in one delta) or, for a
/// custom tool, a <c>custom_tool_call</c> item. The done line ends it with <c>response.completed</c>, or
/// <c>response.incomplete</c> for a length cut; a native error line, an invalid line or a failure the exchange reports
/// ends it with <c>error</c> and <c>response.failed</c> (Codex acts on the latter; the SDKs throw on the former). Every
/// event carries <c>sequence_number</c>, counted from 0. Items are kept whole as they grow, because the API repeats them in
/// their <c>.done</c> events and in the terminal response.
/// </remarks>
internal sealed class ResponsesStreamTranslator : IStreamTranslator
{
    private readonly ResponsesTranslation _request;
    private readonly string _id;
    private readonly long _created;
    private readonly OllamaChatLine _line = new();
    private readonly List<ResponsesOutputItem> _output = [];
    private Utf8JsonWriter? _writer;
    private ResponsesOutputItem? _open;
    private int _sequence;
    private bool _started;

    /// <summary>Creates the translator for one response.</summary>
    public ResponsesStreamTranslator(ResponsesTranslation request, string id, long created)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        _id = id;
        _created = created;
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
            WriteError(output, "The upstream server sent a stream line that is not a valid Ollama chat object.");
            return true;
        }

        if (_line.Error is not null)
        {
            WriteError(output, _line.Error);
            return true;
        }

        Start(output);
        if (_line.CarriesOutput)
        {
            ContentChunks++;
        }

        if (!_line.Thinking.IsEmpty)
        {
            AppendText(output, ResponsesOutputKind.Reasoning, _line.Thinking);
        }

        if (!_line.Content.IsEmpty)
        {
            AppendText(output, ResponsesOutputKind.Message, _line.Content);
        }

        foreach (OllamaLineToolCall call in _line.ToolCalls)
        {
            WriteCall(output, call);
        }

        if (!_line.Done)
        {
            return false;
        }

        string status = _line.StoppedForLength ? "incomplete" : "completed";
        CloseOpen(output, status);
        Usage = new TokenUsage(_line.PromptEvalCount, _line.EvalCount);
        WriteResponseEvent(output, _line.StoppedForLength ? "response.incomplete" : "response.completed", status, Usage);
        State = StreamState.Completed;
        return true;
    }

    /// <summary>Nothing: the terminal response event already ended a completed stream (the Responses API has no <c>[DONE]</c>).</summary>
    public void WriteDone(IBufferWriter<byte> output)
    {
    }

    /// <summary>Writes <c>error</c> and <c>response.failed</c> (with the output so far) and ends the stream.</summary>
    public void WriteError(IBufferWriter<byte> output, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        if (State != StreamState.Open)
        {
            return;
        }

        Start(output);
        Utf8JsonWriter writer = BeginEvent(output, "error");
        writer.WriteString("code"u8, "server_error"u8);
        writer.WriteString("message"u8, message);
        writer.WriteNull("param"u8);
        EndEvent(output, writer);
        WriteResponseEvent(output, "response.failed", "failed", Usage, message);
        State = StreamState.Failed;
    }

    private void Start(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        WriteResponseEvent(output, "response.created", "in_progress", null);
        WriteResponseEvent(output, "response.in_progress", "in_progress", null);
    }

    private void AppendText(IBufferWriter<byte> output, ResponsesOutputKind kind, ReadOnlySpan<byte> utf8)
    {
        bool reasoning = kind == ResponsesOutputKind.Reasoning;
        if (_open?.Kind != kind)
        {
            CloseOpen(output, "completed");
            _open = reasoning ? ResponsesOutputItem.Reasoning() : ResponsesOutputItem.Message();
            AddItem(output, _open);
            Utf8JsonWriter added = BeginItemEvent(output, reasoning ? "response.reasoning_summary_part.added" : "response.content_part.added", _open);
            WritePart(added, reasoning, string.Empty);
            EndEvent(output, added);
        }

        string text = Encoding.UTF8.GetString(utf8);
        _open.Text.Append(text);
        Utf8JsonWriter writer = BeginItemEvent(output, reasoning ? "response.reasoning_summary_text.delta" : "response.output_text.delta", _open);
        writer.WriteString("delta"u8, text);
        if (!reasoning)
        {
            WriteEmptyLogprobs(writer);
        }

        EndEvent(output, writer);
    }

    /// <summary>Closes the open reasoning or message item: its text and part <c>.done</c> events, then <c>output_item.done</c>.</summary>
    private void CloseOpen(IBufferWriter<byte> output, string status)
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        bool reasoning = item.Kind == ResponsesOutputKind.Reasoning;
        string text = item.Text.ToString();
        Utf8JsonWriter writer = BeginItemEvent(output, reasoning ? "response.reasoning_summary_text.done" : "response.output_text.done", item);
        writer.WriteString("text"u8, text);
        if (!reasoning)
        {
            WriteEmptyLogprobs(writer);
        }

        EndEvent(output, writer);
        writer = BeginItemEvent(output, reasoning ? "response.reasoning_summary_part.done" : "response.content_part.done", item);
        WritePart(writer, reasoning, text);
        EndEvent(output, writer);
        item.Status = reasoning ? "completed" : status;
        WriteItemDone(output, item);
    }

    private void WriteCall(IBufferWriter<byte> output, OllamaLineToolCall call)
    {
        CloseOpen(output, "completed");
        ResponsesOutputItem item = ResponsesWriter.CallItem(call, _request.Tools);
        bool custom = item.Kind == ResponsesOutputKind.CustomToolCall;
        item.Status = "in_progress";
        AddItem(output, item);
        string text = item.Text.ToString();
        Utf8JsonWriter writer = BeginItemEvent(output, custom ? "response.custom_tool_call_input.delta" : "response.function_call_arguments.delta", item);
        writer.WriteString("delta"u8, text);
        EndEvent(output, writer);
        writer = BeginItemEvent(output, custom ? "response.custom_tool_call_input.done" : "response.function_call_arguments.done", item);
        if (!custom)
        {
            writer.WriteString("name"u8, item.Name);
        }

        writer.WriteString(custom ? "input"u8 : "arguments"u8, text);
        EndEvent(output, writer);
        item.Status = "completed";
        WriteItemDone(output, item);
    }

    private void AddItem(IBufferWriter<byte> output, ResponsesOutputItem item)
    {
        _output.Add(item);
        Utf8JsonWriter writer = BeginEvent(output, "response.output_item.added");
        writer.WriteNumber("output_index"u8, _output.Count - 1);
        writer.WritePropertyName("item"u8);
        ResponsesWriter.WriteItem(writer, item);
        EndEvent(output, writer);
    }

    private void WriteItemDone(IBufferWriter<byte> output, ResponsesOutputItem item)
    {
        Utf8JsonWriter writer = BeginEvent(output, "response.output_item.done");
        writer.WriteNumber("output_index"u8, _output.IndexOf(item));
        writer.WritePropertyName("item"u8);
        ResponsesWriter.WriteItem(writer, item);
        EndEvent(output, writer);
    }

    private static void WritePart(Utf8JsonWriter writer, bool reasoning, string text)
    {
        writer.WritePropertyName("part"u8);
        if (reasoning)
        {
            ResponsesWriter.WriteSummaryPart(writer, text);
        }
        else
        {
            ResponsesWriter.WriteTextPart(writer, text);
        }
    }

    private static void WriteEmptyLogprobs(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("logprobs"u8);
        writer.WriteEndArray();
    }

    private void WriteResponseEvent(IBufferWriter<byte> output, string name, string status, TokenUsage? usage, string? error = null)
    {
        Utf8JsonWriter writer = BeginEvent(output, name);
        writer.WritePropertyName("response"u8);
        ResponsesWriter.WriteResponse(writer, _id, _created, status, _request, status == "in_progress" ? [] : _output, usage, error);
        EndEvent(output, writer);
    }

    /// <summary>Opens an item-scoped event: <c>item_id</c>, <c>output_index</c>, and the part index its kind has.</summary>
    private Utf8JsonWriter BeginItemEvent(IBufferWriter<byte> output, string name, ResponsesOutputItem item)
    {
        Utf8JsonWriter writer = BeginEvent(output, name);
        writer.WriteString("item_id"u8, item.Id);
        writer.WriteNumber("output_index"u8, _output.IndexOf(item));
        if (item.Kind == ResponsesOutputKind.Reasoning)
        {
            writer.WriteNumber("summary_index"u8, 0);
        }
        else if (item.Kind == ResponsesOutputKind.Message)
        {
            writer.WriteNumber("content_index"u8, 0);
        }

        return writer;
    }

    /// <summary>Opens an event: <c>event: NAME</c>, then its data object with <c>type</c> and <c>sequence_number</c>.</summary>
    private Utf8JsonWriter BeginEvent(IBufferWriter<byte> output, string name)
    {
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(name, output);
        output.Write("\ndata: "u8);
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(output);
        }
        else
        {
            _writer.Reset(output);
        }

        _writer.WriteStartObject();
        _writer.WriteString("type"u8, name);
        _writer.WriteNumber("sequence_number"u8, _sequence++);
        return _writer;
    }

    private static void EndEvent(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.Flush();
        output.Write("\n\n"u8);
    }
}
