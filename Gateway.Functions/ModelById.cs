using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Functions;

/// <summary>One OpenAI model by id (ids may hold '/' and ':'), built by Core from Ollama's list.</summary>
public sealed class ModelById(GatewayPipeline pipeline)
{
    /// <summary>Hands the request to the gateway pipeline.</summary>
    [Function(nameof(ModelById))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/models/{*id}")] HttpRequest req,
        CancellationToken cancellationToken) => pipeline.InvokeAsync(req.HttpContext, cancellationToken);
}
