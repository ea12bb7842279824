namespace OllamaGateway.Translation.Ollama;

/// <summary>A native tool call in a request's history: <c>{"id","function":{"name","arguments":{...}}}</c>.</summary>
internal sealed record OllamaToolCall
{
    /// <summary>The OpenAI call id, kept so that tool results can point back at it.</summary>
    public string? Id { get; init; }

    /// <summary>The called function and its arguments.</summary>
    public required OllamaToolCallFunction Function { get; init; }
}
