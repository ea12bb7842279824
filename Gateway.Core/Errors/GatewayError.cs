namespace OllamaGateway.Errors;

/// <summary>Every way the gateway itself can refuse or fail a request. <see cref="ErrorResponder"/> maps each to an answer.</summary>
internal enum GatewayError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>No key was presented.</summary>
    MissingKey,

    /// <summary>A key was presented but is not valid, or the credential headers were ambiguous.</summary>
    InvalidKey,

    /// <summary>The key may not use this route (model management).</summary>
    Forbidden,

    /// <summary>The key is past its expiry time.</summary>
    KeyExpired,

    /// <summary>The key may not use the model the request names.</summary>
    ModelForbidden,

    /// <summary>The key's requests-per-minute or concurrency limit is reached.</summary>
    RateLimited,

    /// <summary>The key's token budget (per minute or per day) is spent.</summary>
    TokenBudgetSpent,

    /// <summary>Too many failed authentications from this client address.</summary>
    TooManyFailedAttempts,

    /// <summary>The model the request names is not one Ollama has (that the key may see).</summary>
    ModelNotFound,

    /// <summary>No such route.</summary>
    RouteNotFound,

    /// <summary>The route exists but not with this method.</summary>
    MethodNotAllowed,

    /// <summary>The request body is larger than the configured cap.</summary>
    RequestBodyTooLarge,

    /// <summary>The request's framing is ambiguous (Content-Length and Transfer-Encoding together).</summary>
    AmbiguousFraming,

    /// <summary>The request body's framing is broken (a bad chunk size, a body cut short): 400, connection closed.</summary>
    MalformedBody,

    /// <summary>The request body could not be read or translated (the message says why).</summary>
    InvalidRequest,

    /// <summary>Ollama answered with an error status, passed on in the route's shape.</summary>
    UpstreamRefused,

    /// <summary>Ollama could not be reached.</summary>
    UpstreamUnavailable,

    /// <summary>Ollama did not answer within the first-byte timeout.</summary>
    UpstreamTimeout,

    /// <summary>Ollama's answer could not be used (too large, malformed, cut off).</summary>
    UpstreamInvalidResponse,
}
