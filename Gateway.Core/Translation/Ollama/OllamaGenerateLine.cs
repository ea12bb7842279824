using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// Reads one native <c>/api/generate</c> object: the shared fields through <see cref="OllamaStreamLine"/>, and the
/// top-level <c>response</c> where chat (<see cref="OllamaChatLine"/>) has <c>message.content</c>.
/// </summary>
/// <remarks>
/// Skipped on purpose: <c>thinking</c> (a legacy completion has only <c>text</c>, and reasoning must never leak into
/// it; <c>eval_count</c> still counts those tokens, as Ollama reports them), <c>context</c> (the deprecated token
/// array on the final line, which can be huge and reveals the templated prompt), and the durations.
/// </remarks>
internal sealed class OllamaGenerateLine : OllamaStreamLine
{
    private byte[] _response = [];
    private int _responseLength;

    /// <summary>Unescaped UTF-8 of <c>response</c> (empty when absent or null).</summary>
    public ReadOnlySpan<byte> Response => _response.AsSpan(0, _responseLength);

    private bool _hasThinking;

    /// <inheritdoc/>
    public override bool CarriesOutput => _responseLength > 0 || _hasThinking;

    /// <inheritdoc/>
    protected override void ResetFields()
    {
        _responseLength = 0;
        _hasThinking = false;
    }

    /// <inheritdoc/>
    protected override bool ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.ValueTextEquals("response"u8))
        {
            reader.Read();
            return TryCopyText(ref reader, ref _response, out _responseLength);
        }

        if (reader.ValueTextEquals("thinking"u8))
        {
            // Not copied (see the remarks), only noted: thinking tokens count towards an estimate of a cut stream.
            reader.Read();
            _hasThinking = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            reader.Skip();
            return true;
        }

        // context, model, created_at, durations, logprobs...: see the remarks.
        return SkipValue(ref reader);
    }
}
