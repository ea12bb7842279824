namespace OllamaGateway.Translation.Ollama;

/// <summary>A native tool definition: the same outer shape as OpenAI's, <c>{"type":"function","function":{...}}</c>.</summary>
internal sealed record OllamaTool
{
    /// <summary>Always <c>function</c>: the only tool type Ollama knows.</summary>
    public string Type { get; init; } = "function";

    /// <summary>The function the model may call.</summary>
    public required OllamaToolFunction Function { get; init; }
}
