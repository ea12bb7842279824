namespace OllamaGateway.Routing;

/// <summary>Which API a path belongs to, and so which error shape its answers use.</summary>
internal enum ApiSurface
{
    /// <summary>Ollama's native API: errors are <c>{"error":"..."}</c>.</summary>
    Ollama,

    /// <summary>The OpenAI API under <c>/v1</c>: errors are <c>{"error":{"message","type","param","code"}}</c>.</summary>
    OpenAI,

    /// <summary>
    /// The Anthropic Messages API (<c>/v1/messages</c> and below): errors are
    /// <c>{"type":"error","error":{"type","message"}}</c> with Anthropic's error types.
    /// </summary>
    Anthropic,
}
