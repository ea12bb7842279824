namespace OllamaGateway.Pipeline;

/// <summary>What follows a request that could not reach its Ollama server (<see cref="UpstreamRouter.AfterFailure"/>).</summary>
internal enum UpstreamFailureAction
{
    /// <summary>Answer the failure as with one server (502, 504).</summary>
    Answer,

    /// <summary>Send the request to the alternative server found (<c>UpstreamAttempt.Alternative</c>).</summary>
    FailOver,

    /// <summary>Answer 503 with Retry-After: the servers that have the model are all down now.</summary>
    Unavailable,
}
