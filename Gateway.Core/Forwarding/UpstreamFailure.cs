namespace OllamaGateway.Forwarding;

/// <summary>How a failed call to an Ollama server is classified for health and failover.</summary>
internal static class UpstreamFailure
{
    /// <summary>
    /// Whether the server could not be connected to at all (refused, unresolvable, or the connect timeout passed):
    /// nothing reached it, and it is left out for the reactivation period.
    /// </summary>
    public static bool IsConnectFailure(Exception? exception) => exception switch
    {
        HttpRequestException http => http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,

        // SocketsHttpHandler reports its ConnectTimeout as a cancellation caused by a TimeoutException; the first-byte
        // timeout is a plain cancellation and is not a connect failure.
        OperationCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    /// <summary>
    /// Whether the request failed before any answer came (connect failure, reset or closed before the response): the
    /// client has received nothing, so another server may answer instead. A timeout waiting for the answer is not one:
    /// Ollama may have been working on it all along.
    /// </summary>
    public static bool AllowsFailover(Exception? exception) => exception is HttpRequestException || IsConnectFailure(exception);
}
