namespace OllamaGateway.Routing;

/// <summary>What the gateway does with a request, decided from its method and path alone.</summary>
internal enum RouteKind
{
    /// <summary>No such route: 404, Ollama is not contacted (default deny).</summary>
    NotFound,

    /// <summary>A known path with a method it does not take: 405.</summary>
    MethodNotAllowed,

    /// <summary>The gateway's own liveness endpoint; needs no key and never reaches Ollama.</summary>
    Health,

    /// <summary>The gateway's own readiness endpoint: needs no key, reports whether Ollama answers.</summary>
    Readiness,

    /// <summary><c>POST /v1/chat/completions</c>, translated to <c>/api/chat</c>.</summary>
    ChatCompletions,

    /// <summary><c>POST /v1/completions</c>, translated to <c>/api/generate</c>.</summary>
    Completions,

    /// <summary><c>POST /v1/embeddings</c>, translated to <c>/api/embed</c>.</summary>
    Embeddings,

    /// <summary><c>POST /v1/messages</c> (Anthropic Messages API), translated to <c>/api/chat</c>.</summary>
    AnthropicMessages,

    /// <summary><c>POST /v1/messages/count_tokens</c>: an estimate made by the gateway, Ollama is not contacted.</summary>
    AnthropicCountTokens,

    /// <summary><c>POST /v1/responses</c> (OpenAI Responses API, stateless), translated to <c>/api/chat</c>.</summary>
    Responses,

    /// <summary><c>GET /v1/models</c>, built from <c>/api/tags</c>.</summary>
    ModelList,

    /// <summary><c>GET /v1/models/{id}</c>, built from <c>/api/tags</c>; the id is the rest of the path.</summary>
    ModelRetrieve,

    /// <summary>Native generation and embedding routes, passed through.</summary>
    NativeInference,

    /// <summary>Native read-only routes (tags, ps, version, show, root), passed through.</summary>
    NativeRead,

    /// <summary>Model management (pull, push, create, copy, delete, blobs): admin-only.</summary>
    Management,

    /// <summary><c>GET /metrics</c>: the gateway's metrics in Prometheus text format, for admin keys and keys with the metrics right.</summary>
    Metrics,

    /// <summary><c>GET /gateway/usage</c>: usage of every key, for admin keys.</summary>
    UsageReport,

    /// <summary><c>GET /gateway/usage/me</c>: a key's own usage.</summary>
    OwnUsageReport,
}
