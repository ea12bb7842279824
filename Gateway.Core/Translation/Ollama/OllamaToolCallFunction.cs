using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// The <c>function</c> of a native tool call. No <c>index</c>: Ollama's own layer does not set it from the OpenAI
/// side either (reference §3.3).
/// </summary>
internal sealed record OllamaToolCallFunction
{
    /// <summary>Function name.</summary>
    public required string Name { get; init; }

    /// <summary>Always a JSON object natively (Go <c>map[string]any</c>); OpenAI sends it as a JSON-encoded string.</summary>
    public required JsonElement Arguments { get; init; }
}
