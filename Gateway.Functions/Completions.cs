using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Functions;

/// <summary>OpenAI legacy completions, translated by Core to Ollama generate.</summary>
public sealed class Completions(GatewayPipeline pipeline)
{
    /// <summary>Hands the request to the gateway pipeline.</summary>
    [Function(nameof(Completions))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/completions")] HttpRequest req,
        CancellationToken cancellationToken) => pipeline.InvokeAsync(req.HttpContext, cancellationToken);
}
