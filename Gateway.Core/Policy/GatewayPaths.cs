namespace OllamaGateway.Policy;

/// <summary>Every path the gateway knows, in one place.</summary>
internal static class GatewayPaths
{
    public const string Health = "/healthz";
    public const string Readiness = "/readyz";
    public const string ChatCompletions = "/v1/chat/completions";
    public const string Completions = "/v1/completions";
    public const string Embeddings = "/v1/embeddings";
    public const string Models = "/v1/models";
    public const string ModelPrefix = "/v1/models/";
    public const string OpenAIPrefix = "/v1";
    public const string OllamaChat = "/api/chat";
    public const string OllamaTags = "/api/tags";
    public const string OllamaPs = "/api/ps";
    public const string BlobsPrefix = "/api/blobs/";
}
