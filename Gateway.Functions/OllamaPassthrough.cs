using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Functions;

/// <summary>
/// Every other path: native Ollama routes, the health endpoint, and the gateway's own 401/403/404 answers.
/// The host matches functions in alphabetical order of name, so this catch-all must sort last
/// (a test checks it against functions.metadata).
/// </summary>
public sealed class OllamaPassthrough(GatewayPipeline pipeline)
{
    /// <summary>Hands the request to the gateway pipeline, which applies the route policy.</summary>
    [Function(nameof(OllamaPassthrough))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", "delete", Route = "{*path}")] HttpRequest req,
        CancellationToken cancellationToken) => pipeline.InvokeAsync(req.HttpContext, cancellationToken);
}
