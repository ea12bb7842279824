using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using OllamaGateway.Validation;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Native routes that carry a JSON body: the body is read (within the route's cap), checked and rewritten by
/// the request guard, every model it names is checked against the key's allow-list, and only then is the
/// rewritten body forwarded. Ollama's answer still streams back untouched.
/// </summary>
internal sealed class GuardedPassthroughHandler(PassthroughHandler passthrough, RequestGuardSettings guard, IOptions<GatewayOptions> options)
{
    private static readonly FrozenDictionary<string, OllamaEndpoint> s_endpoints = new Dictionary<string, OllamaEndpoint>(StringComparer.Ordinal)
    {
        ["/api/chat"] = OllamaEndpoint.Chat,
        ["/api/generate"] = OllamaEndpoint.Generate,
        ["/api/embed"] = OllamaEndpoint.Embed,
        ["/api/embeddings"] = OllamaEndpoint.Embeddings,
        ["/api/show"] = OllamaEndpoint.Show,
        ["/api/pull"] = OllamaEndpoint.Pull,
        ["/api/push"] = OllamaEndpoint.Push,
        ["/api/create"] = OllamaEndpoint.Create,
        ["/api/copy"] = OllamaEndpoint.Copy,
        ["/api/delete"] = OllamaEndpoint.Delete,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly GatewayOptions _options = options.Value;

    /// <summary>The guarded endpoint for a path, or null for routes without a JSON body (GET routes, blobs).</summary>
    public static OllamaEndpoint? EndpointFor(PathString path) =>
        path.Value is { } value && s_endpoints.TryGetValue(value, out var endpoint) ? endpoint : null;

    public async Task HandleAsync(HttpContext context, RouteDecision decision, ApiKey key, OllamaEndpoint endpoint, CancellationToken cancellationToken)
    {
        // JSON bodies are read whole to be checked; management JSON (pull, copy, ...) is small, so only blob
        // uploads, which are never read here, need Gateway:MaxManagementBodyBytes.
        var limit = decision.Kind == RouteKind.NativeRead ? _options.MaxReadBodyBytes : _options.MaxRequestBodyBytes;
        var body = await RequestBodyReader.ReadAsync(context.Request, limit, cancellationToken);
        if (body is null)
        {
            await ErrorResponder.WriteAsync(context, decision.Surface, GatewayError.RequestBodyTooLarge);
            return;
        }

        await LargeBody.LeaveIoThread(body.Length);
        var (guarded, error) = guard.Check(endpoint, body);
        if (guarded is null)
        {
            await ErrorResponder.WriteAsync(context.Response, decision.Surface, error!.Status, error.Message, ErrorResponder.OpenAITypeFor(error.Status), null, null);
            return;
        }

        foreach (var model in guarded.Models)
        {
            if (!key.Models.Allows(model))
            {
                await ErrorResponder.WriteAsync(context, decision.Surface, GatewayError.ModelForbidden, $"This key may not use the model '{model}'.");
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
        await passthrough.HandleAsync(context, decision.Surface, key, cancellationToken);
    }
}
