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
    /// <summary>For admin keys: Ollama's answers come back exactly as Ollama wrote them.</summary>
    public static PassthroughTransformer Instance { get; } = new(scrubServerErrors: false);

    /// <summary>
    /// For other keys: Ollama's 5xx error text is replaced, because it can name internal paths, users and
    /// model directories (security.md §1.2, Ollama #13223). 4xx errors (unknown model, bad request) stay.
    /// </summary>
    public static PassthroughTransformer ScrubbingServerErrors { get; } = new(scrubServerErrors: true);

    private readonly bool _scrubServerErrors;

    private static readonly FrozenSet<string> s_allowedRequestHeaders = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        HeaderNames.Accept,
        HeaderNames.ContentType,
        HeaderNames.ContentLength,
        HeaderNames.UserAgent,
        HeaderNames.TraceParent,
        HeaderNames.TraceState);

    private PassthroughTransformer(bool scrubServerErrors)
    {
        _scrubServerErrors = scrubServerErrors;
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
