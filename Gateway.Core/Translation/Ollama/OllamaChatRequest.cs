namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// The body of Ollama's <c>POST /api/chat</c> as the gateway writes it: only what the translator checked.
/// Serialised by <see cref="OllamaJsonContext"/> (snake_case, nulls omitted). Later issues add <c>tools</c>,
/// <c>format</c> and <c>think</c> here.
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
}
