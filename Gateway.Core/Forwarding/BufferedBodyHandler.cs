namespace OllamaGateway.Forwarding;

/// <summary>
/// Sends a request body the gateway already holds in memory as one piece. YARP streams every body from
/// <c>HttpRequest.Body</c> and flushes the headers before it (gRPC needs that), so a checked and rewritten native
/// body would cost a second write and a second packet to Ollama. The forwarder does not let a transform replace its
/// outgoing content, so the swap happens here, below it, for requests that carry <see cref="Body"/>.
/// </summary>
internal sealed class BufferedBodyHandler : DelegatingHandler
{
    /// <summary>The complete body to send instead of YARP's streamed copy of the same bytes.</summary>
    public static readonly HttpRequestOptionsKey<ReadOnlyMemory<byte>> Body = new("OllamaGateway.BufferedBody");

    public BufferedBodyHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Body, out var body) && request.Content is { } streamed)
        {
            var content = new ReadOnlyMemoryContent(body);
            foreach (var header in streamed.Headers.NonValidated)
            {
                content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
            }

            // YARP only waits for its streamed copy if it started; never started, it holds nothing to release.
            request.Content = content;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
