using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Routing;
using OllamaGateway.Usage;
using OllamaGateway.Validation;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Native routes that carry a JSON body (<see cref="GatewayRoute.Endpoint"/>): the body is read within the route's
/// cap, checked and rewritten by the request guard, every model it names is checked against the key's allow-list,
/// and only then is the rewritten body forwarded. Ollama's answer still streams back untouched.
/// </summary>
internal sealed class GuardedPassthroughHandler(PassthroughHandler passthrough, RequestGuardSettings guard, BodyLimits limits)
{
    public async Task HandleAsync(HttpContext context, RequestRecord record, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        var body = await RequestBodyReader.ReadForRouteAsync(context, route, limits, record, cancellationToken);
        if (body is null)
        {
            return;
        }

        var (guarded, error) = guard.Check(route.Endpoint!.Value, body);
        if (guarded is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, error!.Status, error.Message, null, null, GatewayError.InvalidRequest);
            return;
        }

        record.RequestedModel = record.UpstreamModel = guarded.Model;
        foreach (var model in guarded.Models)
        {
            if (!key.Models.Allows(model))
            {
                await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.ModelForbidden, $"This key may not use the model '{ClientText.Quote(model)}'.");
                return;
            }
        }

        // YARP forwards HttpRequest.Body (replacing its outgoing content is not supported), so the checked body
        // takes the client's place there, with framing that matches it. The feature lets the client factory's
        // handler send the same bytes in one write with the headers (BufferedBodyHandler).
        var request = context.Request;
        context.Features.Set(new GuardedBody(guarded.Body));
        request.Body = new MemoryStream(guarded.Body, writable: false);
        request.ContentLength = guarded.Body.Length;
        request.Headers.TransferEncoding = default;
        request.ContentType = "application/json";
        await passthrough.HandleAsync(context, route, key, guarded.Model, cancellationToken);
    }
}
