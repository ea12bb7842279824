using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Header hygiene for native passthrough. YARP already drops hop-by-hop headers and sets <c>Host</c> to
/// Ollama's own (a public Host makes a loopback Ollama answer 403). On top of that only an allow-list of
/// request headers reaches Ollama: credentials, cookies, <c>Origin</c> (Ollama's CORS check would 403),
/// forwarding and method-override headers and Functions platform headers never do (security.md §2.3).
/// </summary>
internal sealed class PassthroughTransformer : HttpTransformer
{
    private readonly bool _scrubServerErrors;
    private readonly TimeSpan _idleTimeout;

    private static readonly FrozenSet<string> s_allowedRequestHeaders = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        HeaderNames.Accept,
        HeaderNames.ContentType,
        HeaderNames.ContentLength,
        HeaderNames.UserAgent,
        HeaderNames.TraceParent,
        HeaderNames.TraceState);

    /// <param name="scrubServerErrors">
    /// True for keys other than admins: Ollama's 5xx error text is replaced, because it can name internal
    /// paths, users and model directories (security.md §1.2, Ollama #13223). 4xx errors stay as they are.
    /// </param>
    /// <param name="idleTimeout">How long an NDJSON stream may stay silent between chunks.</param>
    public PassthroughTransformer(bool scrubServerErrors, TimeSpan idleTimeout)
    {
        _scrubServerErrors = scrubServerErrors;
        _idleTimeout = idleTimeout;
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        RemoveUnlisted(proxyRequest.Headers);
        if (proxyRequest.Content is not null)
        {
            RemoveUnlisted(proxyRequest.Content.Headers);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        // One client's cookie must never reach another through a shared upstream.
        httpContext.Response.Headers.Remove(HeaderNames.SetCookie);
        if (proxyResponse?.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && !httpContext.Response.Headers.ContainsKey(HeaderNames.RetryAfter))
        {
            // Ollama's queue is full: tell clients when to come back rather than letting them hammer it.
            httpContext.Response.Headers.RetryAfter = "1";
        }

        if (copyBody && proxyResponse is { IsSuccessStatusCode: true } && NdjsonRelay.IsNdjson(proxyResponse))
        {
            await NdjsonRelay.CopyAsync(httpContext, proxyResponse, _idleTimeout, httpContext.RequestAborted);
            return false;
        }

        if (!_scrubServerErrors || proxyResponse is null || (int)proxyResponse.StatusCode < StatusCodes.Status500InternalServerError)
        {
            return copyBody;
        }

        var response = httpContext.Response;
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"error\":\"Ollama failed to process the request ({(int)proxyResponse.StatusCode}); details are in the gateway operator's logs.\"}}");
        response.Headers.Remove(HeaderNames.ContentLength);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
        return false;
    }

    private static void RemoveUnlisted(System.Net.Http.Headers.HttpHeaders headers)
    {
        List<string>? remove = null;
        foreach (var header in headers)
        {
            if (!s_allowedRequestHeaders.Contains(header.Key))
            {
                (remove ??= []).Add(header.Key);
            }
        }

        if (remove is not null)
        {
            foreach (var name in remove)
            {
                headers.Remove(name);
            }
        }
    }
}
