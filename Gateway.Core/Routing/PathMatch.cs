namespace OllamaGateway.Routing;

/// <summary>How a route's path is matched. Every kind is exact and case-sensitive, as Ollama's router is.</summary>
internal enum PathMatch
{
    /// <summary>The whole path equals the route's path.</summary>
    Exact,

    /// <summary>The route's path followed by a blob digest, <c>sha256:</c> or <c>sha256-</c> and 64 lower-case hex digits.</summary>
    BlobDigest,

    /// <summary>The route's path followed by a non-empty model id (which may contain <c>/</c> and <c>:</c>).</summary>
    ModelId,
}
