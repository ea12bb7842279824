using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Functions;

/// <summary>OpenAI chat completions, translated by Core. Its name sorts before the catch-all, so the host tries it first.</summary>
public sealed class ChatCompletions(GatewayPipeline pipeline)
{
    /// <summary>Hands the request to the gateway pipeline.</summary>
    [Function(nameof(ChatCompletions))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/chat/completions")] HttpRequest req,
        CancellationToken cancellationToken) => pipeline.InvokeAsync(req.HttpContext, cancellationToken);
}
