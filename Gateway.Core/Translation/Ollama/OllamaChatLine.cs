using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// Reads the few fields the gateway needs from one native <c>/api/chat</c> object (an NDJSON line, or the whole
/// non-streamed reply) with <see cref="Utf8JsonReader"/>; everything else is skipped unread. The shared fields
/// (done, done_reason, counts, error) are read by <see cref="OllamaStreamLine"/>; this reads <c>message</c> and
/// <c>logprobs</c>. Text
/// stays UTF-8: escapes are undone into reusable buffers and never decoded to UTF-16.
/// </summary>
internal sealed class OllamaChatLine : OllamaStreamLine
{
    private byte[] _content = [];
    private int _contentLength;
    private byte[] _thinking = [];
    private int _thinkingLength;
    private readonly List<OllamaLineToolCall> _toolCalls = [];
    private readonly List<OllamaLineLogprob> _logprobs = [];

    /// <summary>Unescaped UTF-8 of <c>message.content</c> (empty when absent or null).</summary>
    public ReadOnlySpan<byte> Content => _content.AsSpan(0, _contentLength);

    /// <summary>Unescaped UTF-8 of <c>message.thinking</c> (empty when absent or null).</summary>
    public ReadOnlySpan<byte> Thinking => _thinking.AsSpan(0, _thinkingLength);

    /// <summary>
    /// <c>message.tool_calls</c>, in order (empty when absent). They may come on any line, the final one included
    /// (reference §1.3), and each arrives whole: Ollama does not stream arguments piecemeal.
    /// </summary>
    public IReadOnlyList<OllamaLineToolCall> ToolCalls => _toolCalls;

    /// <summary>
    /// Whether to read the top-level <c>logprobs</c>. Off unless the client asked for them: then they are skipped
    /// unread like any field the reply does not use, so a malformed array nobody wanted cannot fail a reply.
    /// </summary>
    public bool ReadsLogprobs { get; init; }

    /// <summary>
    /// The top-level <c>logprobs</c> (since v0.12.11, only when asked for), one per token this line generated, in
    /// order: content, thinking and tool-call tokens alike, as Ollama does not split them. Empty when absent or
    /// when <see cref="ReadsLogprobs"/> is off.
    /// </summary>
    public IReadOnlyList<OllamaLineLogprob> Logprobs => _logprobs;

    /// <inheritdoc/>
    public override bool CarriesOutput => _contentLength > 0 || _thinkingLength > 0 || _toolCalls.Count > 0;

    /// <inheritdoc/>
    protected override void ResetFields()
    {
        _contentLength = 0;
        _thinkingLength = 0;
        _toolCalls.Clear();
        _logprobs.Clear();
    }

    /// <inheritdoc/>
    protected override bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.ValueTextEquals("message"u8))
        {
            reader.Read();
            return ReadMessage(ref reader, json);
        }

        if (ReadsLogprobs && reader.ValueTextEquals("logprobs"u8))
        {
            reader.Read();
            return ReadLogprobs(ref reader, _logprobs, allowTop: true);
        }

        return SkipValue(ref reader);
    }

    /// <summary>Reads a <c>logprobs</c> or <c>top_logprobs</c> array (null = none) into <paramref name="into"/>.</summary>
    private static bool ReadLogprobs(ref Utf8JsonReader reader, List<OllamaLineLogprob> into, bool allowTop)
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
            if (!ReadLogprob(ref reader, allowTop, out OllamaLineLogprob? entry))
            {
                return false;
            }

            into.Add(entry);
        }

        return true;
    }

    /// <summary>
    /// Reads one <c>{token, logprob, bytes?, top_logprobs?}</c>. A missing token or logprob is a broken upstream:
    /// inventing a probability would be worse than failing. Alternatives have no alternatives of their own.
    /// </summary>
    private static bool ReadLogprob(ref Utf8JsonReader reader, bool allowTop, [NotNullWhen(true)] out OllamaLineLogprob? entry)
    {
        entry = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? token = null;
        double? logprob = null;
        byte[]? bytes = null;
        List<OllamaLineLogprob>? top = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("token"u8))
            {
                reader.Read();
                token = reader.TokenType == JsonTokenType.String ? TryGetString(ref reader) : null;
                ok = token is not null;
            }
            else if (reader.ValueTextEquals("logprob"u8))
            {
                reader.Read();
                double value = 0;
                ok = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
                logprob = ok ? value : null;
            }
            else if (reader.ValueTextEquals("bytes"u8))
            {
                reader.Read();
                ok = ReadBytes(ref reader, out bytes);
            }
            else if (allowTop && reader.ValueTextEquals("top_logprobs"u8))
            {
                reader.Read();
                top = [];
                ok = ReadLogprobs(ref reader, top, allowTop: false);
            }
            else
            {
                ok = SkipValue(ref reader);
            }

            if (!ok)
            {
                return false;
            }
        }

        if (token is null || logprob is null)
        {
            return false;
        }

        entry = new OllamaLineLogprob(token, logprob.Value, bytes, (IReadOnlyList<OllamaLineLogprob>?)top ?? []);
        return true;
    }

    /// <summary>Reads Go's <c>[]int</c> of byte values (null = none); a value outside 0–255 is a broken upstream.</summary>
    private static bool ReadBytes(ref Utf8JsonReader reader, out byte[]? bytes)
    {
        bytes = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var list = new List<byte>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetByte(out byte value))
            {
                return false;
            }

            list.Add(value);
        }

        bytes = [.. list];
        return true;
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
                ok = SkipValue(ref reader);
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
                ok = SkipValue(ref reader);
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
                ok = SkipValue(ref reader);
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
