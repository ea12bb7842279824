using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Functions;

/// <summary>OpenAI embeddings, translated by Core.</summary>
public sealed class Embeddings(GatewayPipeline pipeline)
{
    /// <summary>Hands the request to the gateway pipeline.</summary>
    [Function(nameof(Embeddings))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/embeddings")] HttpRequest req,
        CancellationToken cancellationToken) => pipeline.InvokeAsync(req.HttpContext, cancellationToken);
}
