using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OllamaGateway.Usage;
using OllamaGateway.Policy;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Passthrough of <c>/api/tags</c> and <c>/api/ps</c> for a key limited to some models: the request is
/// forwarded as any other, and a successful answer is rewritten to list only the models the key may use
/// (YARP's documented way to replace a body: write it here and return false).
/// </summary>
internal sealed class ModelListTransformer(ModelAccess access, HttpTransformer inner) : HttpTransformer
{
    // Model lists are small; anything larger than this is not an answer the gateway should filter.
    private const long MaxListBytes = 8 * 1024 * 1024;

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken) =>
        inner.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await inner.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null || !proxyResponse.IsSuccessStatusCode || !copyBody || HttpMethods.IsHead(httpContext.Request.Method))
        {
            return copyBody;
        }

        var response = httpContext.Response;
        response.Headers.Remove(HeaderNames.ContentLength);
        var list = await UpstreamBodyReader.ReadAsync(proxyResponse.Content, MaxListBytes, cancellationToken);
        byte[] filtered;
        try
        {
            filtered = list is null ? throw new JsonException("too large")
                : access.AllowsAll && !ModelListFilter.MayNameCloudModel(list) ? list
                : ModelListFilter.Filter(list, access);
        }
        catch (JsonException)
        {
            // Never pass an unfiltered list on: an answer that cannot be filtered is not shown at all.
            response.StatusCode = StatusCodes.Status502BadGateway;
            filtered = "{\"error\":\"Ollama's model list could not be read.\"}"u8.ToArray();
        }

        response.ContentLength = filtered.Length;
        await response.Body.WriteAsync(filtered, cancellationToken);

        return false;
    }
}
