using System.Buffers;
using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// Reads Ollama's token counts out of a native answer while it is relayed, without holding the answer: each piece
/// the relay writes to the client is fed here too, and a <see cref="Utf8JsonReader"/> carried across pieces looks only
/// at the top-level fields of each object (<c>done</c>, <c>prompt_eval_count</c>, <c>eval_count</c>, <c>error</c>) and
/// reads past everything else. It works for an NDJSON stream (many objects, one per line) and for one JSON object
/// (a non-streamed chat, generate or embed answer) alike. Only the bytes of a token cut by a piece's end are kept.
/// </summary>
/// <remarks>
/// The counts are Ollama's own (<c>prompt_eval_count</c>, <c>eval_count</c>) from the last object that carries them:
/// the <c>done:true</c> line of a stream, or the whole answer. Lines before it are counted as
/// <see cref="OutputObjects"/>: Ollama writes about one token per line, which estimates the completion of a stream
/// that ends early. Anything that is not valid JSON stops the scan (<see cref="IsBroken"/>); the relay still delivers
/// every byte as it came.
/// </remarks>
internal sealed class OllamaUsageScanner
{
    // A token cut by a piece's end is kept until the rest arrives; a token larger than this (an enormous string)
    // stops the scan rather than growing the carry without bound.
    private const int MaxCarryBytes = 1024 * 1024;

    private static readonly JsonReaderOptions s_options = new() { AllowMultipleValues = true, MaxDepth = 256 };

    private JsonReaderState _state = new(s_options);
    private byte[]? _carry;
    private int _carryLength;
    private Field _pending;
    private bool _objectDone;
    private bool _objectHasError;
    private long? _objectPrompt;
    private long? _objectEval;

    private enum Field
    {
        None,
        Done,
        PromptEvalCount,
        EvalCount,
        Error,
    }

    /// <summary>Whole top-level objects read so far.</summary>
    public int Objects { get; private set; }

    /// <summary>Objects that were neither the final (<c>done:true</c>) one nor an error: streamed output, about a token each.</summary>
    public int OutputObjects { get; private set; }

    /// <summary>Whether an object said <c>done:true</c>.</summary>
    public bool Done { get; private set; }

    /// <summary>Whether an object was Ollama's <c>{"error":...}</c>.</summary>
    public bool SawError { get; private set; }

    /// <summary>Whether the bytes stopped being readable JSON; counts read before stay.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Whether a completed object carried Ollama's counts (<see cref="Usage"/> is exact).</summary>
    public bool HasUsage { get; private set; }

    /// <summary>The counts of the last completed object that carried them.</summary>
    public TokenUsage Usage { get; private set; }

    /// <summary>Reads the next piece of the answer, as the relay wrote it.</summary>
    public void Feed(ReadOnlySpan<byte> piece)
    {
        if (IsBroken || piece.IsEmpty)
        {
            return;
        }

        byte[]? joined = null;
        var input = piece;
        if (_carryLength > 0)
        {
            joined = ArrayPool<byte>.Shared.Rent(_carryLength + piece.Length);
            _carry.AsSpan(0, _carryLength).CopyTo(joined);
            piece.CopyTo(joined.AsSpan(_carryLength));
            input = joined.AsSpan(0, _carryLength + piece.Length);
        }

        try
        {
            var reader = new Utf8JsonReader(input, isFinalBlock: false, _state);
            while (reader.Read())
            {
                Handle(ref reader);
            }

            _state = reader.CurrentState;
            Carry(input[(int)reader.BytesConsumed..]);
        }
        catch (JsonException)
        {
            IsBroken = true;
        }
        finally
        {
            if (joined is not null)
            {
                ArrayPool<byte>.Shared.Return(joined);
            }
        }
    }

    private void Handle(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when reader.CurrentDepth == 0:
                (_objectDone, _objectHasError, _objectPrompt, _objectEval, _pending) = (false, false, null, null, Field.None);
                return;
            case JsonTokenType.EndObject when reader.CurrentDepth == 0:
                EndObject();
                return;
            case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                _pending = reader.ValueTextEquals("done"u8) ? Field.Done
                    : reader.ValueTextEquals("prompt_eval_count"u8) ? Field.PromptEvalCount
                    : reader.ValueTextEquals("eval_count"u8) ? Field.EvalCount
                    : reader.ValueTextEquals("error"u8) ? Field.Error
                    : Field.None;
                return;
            case JsonTokenType.PropertyName:
                return;
        }

        // A top-level field's value (a container's start and end tokens too) has depth 1; deeper tokens are passed over.
        if (reader.CurrentDepth == 1)
        {
            ReadTopLevelValue(ref reader);
        }
    }

    private void ReadTopLevelValue(ref Utf8JsonReader reader)
    {
        var field = _pending;
        _pending = Field.None;
        switch (field)
        {
            case Field.Done:
                _objectDone = reader.TokenType == JsonTokenType.True;
                break;
            case Field.PromptEvalCount when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var prompt):
                _objectPrompt = prompt;
                break;
            case Field.EvalCount when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var eval):
                _objectEval = eval;
                break;
            case Field.Error:
                _objectHasError = reader.TokenType == JsonTokenType.String;
                break;
        }
    }

    private void EndObject()
    {
        Objects++;
        if (_objectHasError)
        {
            SawError = true;
            return;
        }

        if (_objectDone)
        {
            Done = true;
        }
        else if (_objectPrompt is null && _objectEval is null)
        {
            OutputObjects++;
        }

        if (_objectPrompt is not null || _objectEval is not null)
        {
            // Ollama omits a zero count (and old servers the prompt count on a cache hit): absent means 0.
            Usage = new TokenUsage(_objectPrompt ?? 0, _objectEval ?? 0);
            HasUsage = true;
        }
    }

    private void Carry(ReadOnlySpan<byte> rest)
    {
        if (rest.Length > MaxCarryBytes)
        {
            IsBroken = true;
            return;
        }

        if (rest.Length > (_carry?.Length ?? 0))
        {
            _carry = new byte[Math.Max(rest.Length, 256)];
        }

        rest.CopyTo(_carry);
        _carryLength = rest.Length;
    }
}
