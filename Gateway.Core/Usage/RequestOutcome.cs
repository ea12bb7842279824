namespace OllamaGateway.Usage;

/// <summary>How a request ended, as the request record notes it.</summary>
internal enum RequestOutcome
{
    /// <summary>Still in progress.</summary>
    None,

    /// <summary>The answer was delivered whole (whatever its status, including Ollama's own 4xx answers).</summary>
    Completed,

    /// <summary>The client went away before the answer was complete.</summary>
    ClientClosed,

    /// <summary>Ollama could not be reached, failed, broke off, or answered with something unusable.</summary>
    UpstreamError,

    /// <summary>Ollama did not answer, or went silent, for longer than its timeout.</summary>
    Timeout,

    /// <summary>The gateway refused the request before Ollama was asked (the reason is in <see cref="RequestRecord.Reason"/>).</summary>
    Refused,
}
