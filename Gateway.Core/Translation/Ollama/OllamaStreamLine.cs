using System.Text.Json;
using System.Text.Unicode;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// What every native streamed object (an <c>/api/chat</c> or <c>/api/generate</c> NDJSON line, or the whole
/// non-streamed reply) has in common: <c>done</c>, <c>done_reason</c>, the token counts and <c>error</c>. Read here
/// once so that both endpoints map finish reason, usage and failures by the same rules; the subclasses read their own
/// text fields. Text stays UTF-8 in reusable buffers, so a stream of many small lines does not allocate per line.
/// One instance per response; <see cref="TryParse"/> resets it.
/// </summary>
internal abstract class OllamaStreamLine
{
    private const string ErrorFallback = "The upstream server reported an error.";

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

    /// <summary>Whether the line carries generated output (text, thinking or tool calls): about one token each.</summary>
    public abstract bool CarriesOutput { get; }

    /// <summary>
    /// Parses <paramref name="json"/>. Returns false when it is not one JSON object with the expected field types,
    /// or carries invalid UTF-8: a broken upstream, reported as an error rather than guessed at.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> json)
    {
        ResetFields();
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

    /// <summary>Clears the subclass's own fields before a parse.</summary>
    protected abstract void ResetFields();

    /// <summary>
    /// Reads one top-level property that is not a shared one; the reader is on its name. Unknown properties must be
    /// skipped (<see cref="SkipValue"/>). Returns false when the value has the wrong type.
    /// </summary>
    protected abstract bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> json);

    /// <summary>Skips the value of the property the reader is on; always true.</summary>
    protected static bool SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
        return true;
    }

    /// <summary>
    /// Copies the unescaped UTF-8 of the string value the reader is on into <paramref name="buffer"/> (grown when
    /// needed). Null gives empty text; any other token, or an escaped lone surrogate, is not valid text.
    /// </summary>
    protected static bool TryCopyText(ref Utf8JsonReader reader, ref byte[] buffer, out int length)
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
            length = needed;
            return true;
        }

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

    /// <summary>The string value the reader is on, or null for an escaped lone surrogate.</summary>
    protected static string? TryGetString(ref Utf8JsonReader reader)
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

    private bool ReadRoot(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("done"u8))
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
                ReadError(ref reader);
                ok = true;
            }
            else
            {
                ok = ReadField(ref reader, json);
            }

            if (!ok)
            {
                return false;
            }
        }

        // A second value or garbage after the object makes Read throw; whitespace ends it.
        return !reader.Read();
    }

    private void ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            Error = TryGetString(ref reader) ?? ErrorFallback;
            return;
        }

        // Ollama always sends a string; anything else still means the request failed.
        reader.Skip();
        Error = ErrorFallback;
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
}
