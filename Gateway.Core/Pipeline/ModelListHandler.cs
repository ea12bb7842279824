using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using OllamaGateway.Routing;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /api/tags</c>, <c>HEAD /api/tags</c> and <c>GET /api/ps</c>, filtered by the key's model rights for every key.
/// With one Ollama server (or one named by <see cref="UpstreamSet.PinHeader"/>) the answer is passed through and rewritten
/// (<see cref="ModelListTransformer"/>); with several it is the union of their lists (<see cref="MergedModelList"/>).
/// </summary>
internal sealed class ModelListHandler(PassthroughHandler passthrough, MergedModelList lists)
{
    // What Ollama's own list answers carry.
    private const string ContentType = "application/json; charset=utf-8";

    public async Task HandleAsync(HttpContext context, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        if (!lists.IsMerged(context))
        {
            await passthrough.HandleAsync(context, route, key, null, cancellationToken, new ModelListTransformer(key.Models, passthrough.ForUsers));
            return;
        }

        var merged = await lists.FetchAsync(context, route.Surface, route.OllamaPath!, cancellationToken);
        if (merged is null)
        {
            return;
        }

        var filtered = ModelListFilter.Filter(merged, key.Models);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = filtered.Length;
        var record = context.Features.Get<RequestRecord>();
        record?.MarkFirstByte();
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            record?.ResponseBytes = filtered.Length;
            await response.Body.WriteAsync(filtered, cancellationToken);
        }
    }
}
