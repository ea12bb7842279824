using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// The <c>function</c> of a native tool. OpenAI's <c>strict</c> has no native field (Ollama drops it, reference
/// §1.10), so it is not written.
/// </summary>
internal sealed record OllamaToolFunction
{
    /// <summary>Function name, checked against OpenAI's <c>^[a-zA-Z0-9_-]{1,64}$</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Description for the model; omitted when the client gave none.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// JSON Schema object of the arguments, copied as the client wrote it. Ollama keeps only a subset of keywords
    /// (reference §1.10); the rest is dropped upstream, not here.
    /// </summary>
    public required JsonElement Parameters { get; init; }
}
