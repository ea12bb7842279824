using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OllamaGateway.Routing;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Checks a request's framing and size before anything reaches Ollama: a body larger than its route allows
/// (<see cref="BodyLimits"/>) is refused with 413 from its declared length, or cut off by the server while streaming
/// when it has none; a request carrying both <c>Content-Length</c> and <c>Transfer-Encoding</c> (the classic smuggling
/// ingredient, RFC 9112 §6.3) is refused outright instead of being resolved in favour of one of them.
/// </summary>
internal sealed class RequestFraming(BodyLimits limits)
{
    // Kestrel resolves CL+TE in favour of chunked and renames the Content-Length it ignored to this header,
    // so the conflict is still visible here and can be refused rather than silently resolved.
    private const string KestrelMovedContentLength = "X-Content-Length";

    /// <param name="context">The request.</param>
    /// <param name="route">Its route, or null for an unknown path (which gets the inference routes' cap).</param>
    public FramingResult Check(HttpContext context, GatewayRoute? route)
    {
        var request = context.Request;
        if (request.Headers.TransferEncoding.Count > 0 && (request.Headers.ContainsKey("Content-Length") || request.Headers.ContainsKey(KestrelMovedContentLength)))
        {
            return FramingResult.Ambiguous;
        }

        var limit = route is null ? limits.Default : limits.For(route);
        if (limit is null)
        {
            return FramingResult.Ok;
        }

        if (request.ContentLength > limit)
        {
            return FramingResult.TooLarge;
        }

        // A chunked body has no declared length: let the server stop reading it at the limit.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        return FramingResult.Ok;
    }
}
