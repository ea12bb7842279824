using System.Text.Json;
using System.Text.Unicode;

namespace OllamaGateway.Translation;

/// <summary>
/// Reads the few fields the gateway needs from one native <c>/api/chat</c> object (an NDJSON line, or the whole
/// non-streamed reply) with <see cref="Utf8JsonReader"/>; everything else is skipped unread. Text stays UTF-8:
/// escapes are undone into reusable buffers and never decoded to UTF-16, so a stream of many small lines does
/// not allocate per line. One instance per response; <see cref="TryParse"/> resets it.
/// </summary>
internal sealed class OllamaChatLine
{
    private byte[] _content = [];
    private int _contentLength;
    private byte[] _thinking = [];
    private int _thinkingLength;
    private readonly List<OllamaLineToolCall> _toolCalls = [];

    /// <summary>Unescaped UTF-8 of <c>message.content</c> (empty when absent or null).</summary>
    public ReadOnlySpan<byte> Content => _content.AsSpan(0, _contentLength);

    /// <summary>Unescaped UTF-8 of <c>message.thinking</c> (empty when absent or null).</summary>
    public ReadOnlySpan<byte> Thinking => _thinking.AsSpan(0, _thinkingLength);

    /// <summary>
    /// <c>message.tool_calls</c>, in order (empty when absent). They may come on any line, the final one included
    /// (reference §1.3), and each arrives whole: Ollama does not stream arguments piecemeal.
    /// </summary>
    public IReadOnlyList<OllamaLineToolCall> ToolCalls => _toolCalls;

    /// <summary><c>done</c>: true only on the final line.</summary>
    public bool Done { get; private set; }

    /// <summary>
    /// <c>done_reason</c> was <c>length</c>. Every other value (<c>stop</c>, missing, empty, and <c>load</c>/<c>unload</c>
    /// which must never reach an OpenAI client) finishes as <c>stop</c>.
    /// </summary>
    public bool StoppedForLength { get; private set; }

    /// <summary><c>prompt_eval_count</c>; 0 when absent (Ollama omits zero values, old servers omit it on cache hits).</summary>
    public long PromptEvalCount { get; private set; }

    /// <summary><c>eval_count</c>; 0 when absent.</summary>
    public long EvalCount { get; private set; }

    /// <summary>The message of an <c>{"error":...}</c> object, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The finish reason to report for this line's <see cref="StoppedForLength"/>.</summary>
    public JsonEncodedText FinishReason => StoppedForLength ? ChatJsonNames.Length : ChatJsonNames.Stop;

    /// <summary>
    /// Parses <paramref name="json"/>. Returns false when it is not one JSON object with the expected field types,
    /// or carries invalid UTF-8: a broken upstream, reported as an error rather than guessed at.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> json)
    {
        _contentLength = 0;
        _thinkingLength = 0;
        _toolCalls.Clear();
        Done = false;
        StoppedForLength = false;
        PromptEvalCount = 0;
        EvalCount = 0;
        Error = null;

        // Validated once here, so that every string span copied below is known to be well-formed UTF-8.
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            return ReadRoot(ref reader, json);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool ReadRoot(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                ok = ReadMessage(ref reader, json);
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                reader.Read();
                ok = reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;
                Done = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("done_reason"u8))
            {
                reader.Read();
                ok = reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
                StoppedForLength = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("length"u8);
            }
            else if (reader.ValueTextEquals("prompt_eval_count"u8))
            {
                reader.Read();
                ok = TryReadCount(ref reader, out long count);
                PromptEvalCount = count;
            }
            else if (reader.ValueTextEquals("eval_count"u8))
            {
                reader.Read();
                ok = TryReadCount(ref reader, out long count);
                EvalCount = count;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                ok = ReadError(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        // A second value or garbage after the object makes Read throw; whitespace ends it.
        return !reader.Read();
    }

    private bool ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                ok = TryCopyText(ref reader, ref _content, out _contentLength);
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                reader.Read();
                ok = TryCopyText(ref reader, ref _thinking, out _thinkingLength);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ok = ReadToolCalls(ref reader, json);
            }
            else
            {
                // role, images...: nothing an OpenAI client reads.
                reader.Read();
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadToolCalls(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!ReadToolCall(ref reader, json))
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? id = null;
        string? name = null;
        byte[]? arguments = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                ok = reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
                id = reader.TokenType == JsonTokenType.String ? TryGetString(ref reader) : null;
                ok &= reader.TokenType != JsonTokenType.String || id is not null;
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                ok = ReadToolCallFunction(ref reader, json, out name, out arguments);
            }
            else
            {
                reader.Read();
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        // A call without a function name cannot be answered by the client: a broken upstream, not a call.
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        _toolCalls.Add(new OllamaLineToolCall(string.IsNullOrEmpty(id) ? null : id, name, arguments ?? "{}"u8.ToArray()));
        return true;
    }

    private static bool ReadToolCallFunction(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out string? name, out byte[]? arguments)
    {
        name = null;
        arguments = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                ok = reader.TokenType == JsonTokenType.String;
                name = ok ? TryGetString(ref reader) : null;
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                ok = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    // The object's own bytes, copied verbatim: the reader is over one contiguous line, so the value
                    // runs from its first token to where Skip leaves the reader. Already validated JSON and UTF-8.
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    arguments = json[start..(int)reader.BytesConsumed].ToArray();
                }
            }
            else
            {
                // index: OpenAI's index is counted by the translator across the whole stream instead.
                reader.Read();
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            Error = TryGetString(ref reader) ?? "The upstream server reported an error.";
            return true;
        }

        // Ollama always sends a string; anything else still means the stream failed.
        reader.Skip();
        Error = "The upstream server reported an error.";
        return true;
    }

    private static bool TryReadCount(ref Utf8JsonReader reader, out long count)
    {
        count = 0;
        return reader.TokenType switch
        {
            JsonTokenType.Null => true,
            JsonTokenType.Number => reader.TryGetInt64(out count) && count >= 0,
            _ => false,
        };
    }

    private static bool TryCopyText(ref Utf8JsonReader reader, ref byte[] buffer, out int length)
    {
        length = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // The unescaped text is never longer than its escaped form.
        int needed = reader.ValueSpan.Length; // Always a span: the reader is built over one contiguous line.
        if (buffer.Length < needed)
        {
            buffer = new byte[Math.Max(needed, Math.Min(buffer.Length * 2, Array.MaxLength))];
        }

        if (!reader.ValueIsEscaped)
        {
            reader.ValueSpan.CopyTo(buffer);
            length = reader.ValueSpan.Length;
            return true;
        }

        return TryUnescape(ref reader, buffer, out length);
    }

    private static bool TryUnescape(ref Utf8JsonReader reader, byte[] buffer, out int length)
    {
        try
        {
            length = reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            // CopyString refuses an escaped lone surrogate ("\ud800"): not valid text, so not a valid line.
            length = 0;
            return false;
        }
    }

    private static string? TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // Escaped lone surrogate.
        }
    }
}
