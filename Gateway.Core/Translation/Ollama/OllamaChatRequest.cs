using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// The body of Ollama's <c>POST /api/chat</c> as the gateway writes it: only what the translator checked.
/// Serialised by <see cref="OllamaJsonContext"/> (snake_case, nulls omitted).
/// </summary>
internal sealed record OllamaChatRequest
{
    /// <summary>Model name exactly as the client gave it.</summary>
    public required string Model { get; init; }

    /// <summary>Never empty: an empty array makes Ollama load or unload the model instead of answering.</summary>
    public required IReadOnlyList<OllamaChatMessage> Messages { get; init; }

    /// <summary>Always written (not nullable): native defaults to true, OpenAI to false.</summary>
    public required bool Stream { get; init; }

    /// <summary>Sampler options; null (omitted) when the client set none, so the Modelfile's tuning applies.</summary>
    public OllamaOptions? Options { get; init; }

    /// <summary>Tool definitions; null when the client sent none or chose <c>tool_choice:"none"</c>.</summary>
    public IReadOnlyList<OllamaTool>? Tools { get; init; }

    /// <summary><c>"json"</c> or a JSON Schema object (since v0.5.0); null means unset.</summary>
    public JsonElement? Format { get; init; }

    /// <summary>
    /// <c>false</c> or a level string (<c>"low"</c>, <c>"medium"</c>, <c>"high"</c>, <c>"max"</c>). Null (omitted) when the
    /// client gave no <c>reasoning_effort</c>: thinking models then think by default (since v0.12.4).
    /// </summary>
    public JsonElement? Think { get; init; }

    /// <summary>Per-token log probabilities (since v0.12.11); null (omitted) unless the client asked for them.</summary>
    public bool? Logprobs { get; init; }

    /// <summary>How many alternatives per token, 1–20; null (omitted) for none.</summary>
    public int? TopLogprobs { get; init; }
}
