using System.Buffers;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Chat;

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
/// <item>With <c>logprobs</c> asked for, a line's native <c>logprobs</c> ride on the chunk that carries its content; on
/// its tool-call chunk or else its reasoning chunk when it has no content; and on a <c>content:""</c> chunk when it writes
/// no chunk at all (tokens the parser swallowed), so the stream holds the same entries as the non-streamed reply.
/// Every other chunk says <c>"logprobs":null</c>.</item>
/// <item>An <c>{"error":..}</c> line, or a line that is not a valid chat object, becomes an SSE error event
/// (openai-node throws an <c>APIError</c> on it) and ends the stream: no fake <c>finish_reason</c>, no <c>[DONE]</c>.</item>
/// </list>
/// Text is written from the line's UTF-8 bytes without decoding. The writer's default encoder escapes non-ASCII
/// as <c>\uXXXX</c>: valid JSON that every client decodes, and immune to HTML/script-injection concerns that the
/// relaxed encoder would reintroduce for a browser reading the stream.
/// <para>The caller's part: split the upstream bytes on <c>\n</c> (as bytes, so a character split across reads is
/// whole again by the time a line is handed over), flush after each call that wrote something, call
/// <see cref="IStreamTranslator.WriteError"/> if the upstream ends or stalls before <see cref="IStreamTranslator.TranslateLine"/> returned true, and call
/// <see cref="IStreamTranslator.WriteDone"/> at the end (it writes nothing unless the stream completed normally).</para>
/// <para>Framing, usage, <c>[DONE]</c> and errors are <see cref="OpenAISseStream{TLine}"/>'s, shared with the legacy
/// completions stream.</para>
/// </remarks>
internal sealed class ChatStreamTranslator : OpenAISseStream<OllamaChatLine>
{
    private readonly bool _logprobs;
    private bool _roleSent;
    private int _toolCallCount;

    /// <summary>Creates the translator for one response; every chunk carries the same id, created and model.</summary>
    /// <param name="id">Completion id, normally from <see cref="NewId"/>.</param>
    /// <param name="created">Unix seconds, fixed for the whole stream.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="includeUsage"><c>stream_options.include_usage</c>.</param>
    /// <param name="logprobs">Whether the client asked for <c>logprobs</c>, see <see cref="ChatTranslation.Logprobs"/>.</param>
    public ChatStreamTranslator(string id, long created, string model, bool includeUsage, bool logprobs = false)
        : base(id, created, model, includeUsage, OpenAIJsonNames.ChatCompletionChunkObject,
            "The upstream server sent a stream line that is not a valid Ollama chat object.",
            new OllamaChatLine { ReadsLogprobs = logprobs })
    {
        _logprobs = logprobs;
    }

    /// <summary>A new completion id: <c>chatcmpl-</c> and 29 random letters and digits (Ollama's own take only 999 values).</summary>
    public static string NewId() => RandomId("chatcmpl-");

    /// <inheritdoc/>
    protected override void WriteLineChunks(IBufferWriter<byte> output)
    {
        OllamaChatLine line = Line;
        bool hasThinking = !line.Thinking.IsEmpty;
        bool hasToolCalls = line.ToolCalls.Count > 0;

        // The opening chunk carries the role: with content "" when the first line has nothing else to say, but on the
        // reasoning or tool-call chunk when the first line is only thinking or a call (OpenAI's own first chunk then
        // has no content).
        bool writeContent = !line.Content.IsEmpty || (!_roleSent && !hasThinking && !hasToolCalls);
        IReadOnlyList<OllamaLineLogprob>? logprobs = _logprobs && line.Logprobs.Count > 0 ? line.Logprobs : null;
        if (logprobs is not null && !writeContent && !hasToolCalls && !hasThinking)
        {
            writeContent = true;
        }

        if (hasThinking)
        {
            WriteDeltaChunk(output, OpenAIJsonNames.Reasoning, line.Thinking, writeContent || hasToolCalls ? null : logprobs);
        }

        if (writeContent)
        {
            WriteDeltaChunk(output, OpenAIJsonNames.Content, line.Content, logprobs);
        }

        if (hasToolCalls)
        {
            WriteToolCallsChunk(output, line.ToolCalls, writeContent ? null : logprobs);
        }

        if (line.Done)
        {
            // "stop" becomes "tool_calls" once any call was streamed; "length" stays (reference §3.5 step 5, pitfall 4).
            WriteFinishChunk(output, _toolCallCount > 0 && !line.StoppedForLength ? OpenAIJsonNames.ToolCalls : OpenAIFinishReason.Of(line));
        }
    }

    /// <summary>Writes a chunk whose delta holds one text field (content or reasoning), plus the role if first.</summary>
    private void WriteDeltaChunk(
        IBufferWriter<byte> output, JsonEncodedText field, ReadOnlySpan<byte> text, IReadOnlyList<OllamaLineLogprob>? logprobs)
    {
        Utf8JsonWriter writer = BeginDelta(output);

        writer.WriteString(field, text);
        EndDelta(output, writer, logprobs);
    }

    /// <summary>
    /// Writes one chunk with the line's calls as <c>delta.tool_calls</c>, each whole (id, type, name and the full
    /// arguments string), indexed across the whole stream as Ollama's layer and OpenAI clients expect.
    /// </summary>
    private void WriteToolCallsChunk(
        IBufferWriter<byte> output, IReadOnlyList<OllamaLineToolCall> calls, IReadOnlyList<OllamaLineLogprob>? logprobs)
    {
        Utf8JsonWriter writer = BeginDelta(output);

        ChatToolCallJson.Write(writer, calls, _toolCallCount);
        _toolCallCount += calls.Count;
        EndDelta(output, writer, logprobs);
    }

    private void WriteFinishChunk(IBufferWriter<byte> output, JsonEncodedText finishReason)
    {
        Utf8JsonWriter writer = BeginChunk(output);
        writer.WriteStartObject(OpenAIJsonNames.Delta);
        writer.WriteEndObject();
        writer.WriteNull(OpenAIJsonNames.Logprobs);
        writer.WriteString(OpenAIJsonNames.FinishReason, finishReason);
        EndChunk(output, writer);
    }

    /// <summary>Opens a chunk up to inside its single choice object, after the choice's index.</summary>
    private Utf8JsonWriter BeginChunk(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginChoice(output);
        writer.WriteNumber(OpenAIJsonNames.Index, 0);
        return writer;
    }

    /// <summary>Opens a content chunk's delta, with the role if this is the stream's first delta.</summary>
    private Utf8JsonWriter BeginDelta(IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = BeginChunk(output);
        writer.WriteStartObject(OpenAIJsonNames.Delta);
        if (!_roleSent)
        {
            writer.WriteString(OpenAIJsonNames.Role, OpenAIJsonNames.Assistant);
            _roleSent = true;
        }

        return writer;
    }

    /// <summary>
    /// Closes a delta opened by <see cref="BeginDelta"/>, with the logprobs of its tokens if it carries them: a content
    /// chunk never finishes the choice.
    /// </summary>
    private void EndDelta(IBufferWriter<byte> output, Utf8JsonWriter writer, IReadOnlyList<OllamaLineLogprob>? logprobs)
    {
        writer.WriteEndObject();
        if (logprobs is null)
        {
            writer.WriteNull(OpenAIJsonNames.Logprobs);
        }
        else
        {
            ChatLogprobsJson.Write(writer, logprobs);
        }

        writer.WriteNull(OpenAIJsonNames.FinishReason);
        EndChunk(output, writer);
    }
}
