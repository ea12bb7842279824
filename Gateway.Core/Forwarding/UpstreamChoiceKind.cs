namespace OllamaGateway.Forwarding;

/// <summary>What <see cref="UpstreamSet.Choose"/> found.</summary>
internal enum UpstreamChoiceKind
{
    /// <summary>A healthy server that has the model (or any healthy server, for a request without one).</summary>
    Chosen,

    /// <summary>No server has the model: 404, as Ollama answers.</summary>
    ModelNotFound,

    /// <summary>Only servers that are down have the model (or, without a model, every server is down): 503 with Retry-After.</summary>
    Unavailable,
}
