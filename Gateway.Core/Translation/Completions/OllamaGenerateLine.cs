using System.Text.Json;
using System.Text.Unicode;

namespace OllamaGateway.Translation.Completions;

/// <summary>
/// Reads the few fields the gateway needs from one native <c>/api/generate</c> object (an NDJSON line, or the whole
/// non-streamed reply) with <see cref="Utf8JsonReader"/>; everything else is skipped unread. The generate-shaped
/// twin of <see cref="OllamaChatLine"/>, which reads <c>message.content</c> where generate has a top-level
/// <c>response</c>. Text stays UTF-8 in a reusable buffer, so a stream of many small lines does not allocate per
/// line. One instance per response; <see cref="TryParse"/> resets it.
/// </summary>
/// <remarks>
/// Skipped on purpose: <c>thinking</c> (a legacy completion has only <c>text</c>, and reasoning must never leak into
/// it; <c>eval_count</c> still counts those tokens, as Ollama reports them), <c>context</c> (the deprecated token
/// array on the final line, which can be huge and reveals the templated prompt), and the durations.
/// </remarks>
internal sealed class OllamaGenerateLine
{
    private byte[] _response = [];
    private int _responseLength;

    /// <summary>Unescaped UTF-8 of <c>response</c> (empty when absent or null).</summary>
    public ReadOnlySpan<byte> Response => _response.AsSpan(0, _responseLength);

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
        _responseLength = 0;
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
            return ReadRoot(ref reader);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool ReadRoot(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                ok = TryCopyText(ref reader);
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
                ReadError(ref reader);
                ok = true;
            }
            else
            {
                // thinking, context, model, created_at, durations, logprobs...: see the remarks.
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

    private void ReadError(ref Utf8JsonReader reader)
    {
        const string Fallback = "The upstream server reported an error.";
        if (reader.TokenType == JsonTokenType.String)
        {
            Error = TryGetString(ref reader) ?? Fallback;
            return;
        }

        // Ollama always sends a string; anything else still means the request failed.
        reader.Skip();
        Error = Fallback;
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

    private bool TryCopyText(ref Utf8JsonReader reader)
    {
        _responseLength = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // The unescaped text is never longer than its escaped form. ValueSpan is always a span here: the reader is
        // built over one contiguous line.
        int needed = reader.ValueSpan.Length;
        if (_response.Length < needed)
        {
            _response = new byte[Math.Max(needed, Math.Min(_response.Length * 2, Array.MaxLength))];
        }

        if (!reader.ValueIsEscaped)
        {
            reader.ValueSpan.CopyTo(_response);
            _responseLength = needed;
            return true;
        }

        try
        {
            _responseLength = reader.CopyString(_response);
            return true;
        }
        catch (InvalidOperationException)
        {
            // CopyString refuses an escaped lone surrogate ("\ud800"): not valid text, so not a valid line.
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
