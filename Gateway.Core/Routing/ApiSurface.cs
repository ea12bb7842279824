namespace OllamaGateway.Routing;

/// <summary>Which API a path belongs to, and so which error shape its answers use.</summary>
internal enum ApiSurface
{
    /// <summary>Ollama's native API: errors are <c>{"error":"..."}</c>.</summary>
    Ollama,

    /// <summary>The OpenAI API under <c>/v1</c>: errors are <c>{"error":{"message","type","param","code"}}</c>.</summary>
    OpenAI,
}
