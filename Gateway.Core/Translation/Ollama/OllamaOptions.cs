using System.Text.Json.Serialization;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// Native <c>options</c>. Every member is nullable and null is omitted: the gateway sends an option only when the
/// client gave it (no OpenAI defaults such as temperature 1.0, which would override the Modelfile's tuning).
/// </summary>
internal sealed record OllamaOptions
{
    /// <summary>OpenAI <c>temperature</c>.</summary>
    public double? Temperature { get; init; }

    /// <summary>OpenAI <c>top_p</c>.</summary>
    public double? TopP { get; init; }

    /// <summary>Anthropic <c>top_k</c> (OpenAI has none).</summary>
    public int? TopK { get; init; }

    /// <summary>OpenAI <c>max_completion_tokens</c>, else <c>max_tokens</c>.</summary>
    public int? NumPredict { get; init; }

    /// <summary>Always an array natively: a bare string is a typed-option error that Ollama reports as HTTP 500.</summary>
    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>OpenAI <c>seed</c>.</summary>
    public long? Seed { get; init; }

    /// <summary>OpenAI <c>presence_penalty</c>, unscaled.</summary>
    public double? PresencePenalty { get; init; }

    /// <summary>OpenAI <c>frequency_penalty</c>, unscaled.</summary>
    public double? FrequencyPenalty { get; init; }

    /// <summary>True when no option is set, so the whole <c>options</c> object can be left out.</summary>
    [JsonIgnore]
    internal bool IsEmpty =>
        Temperature is null && TopP is null && TopK is null && NumPredict is null && Stop is null && Seed is null
        && PresencePenalty is null && FrequencyPenalty is null;
}
