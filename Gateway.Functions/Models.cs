using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Functions;

/// <summary>The OpenAI model list, built by Core from Ollama's.</summary>
public sealed class Models(GatewayPipeline pipeline)
{
    /// <summary>Hands the request to the gateway pipeline.</summary>
    [Function(nameof(Models))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/models")] HttpRequest req,
        CancellationToken cancellationToken) => pipeline.InvokeAsync(req.HttpContext, cancellationToken);
}
