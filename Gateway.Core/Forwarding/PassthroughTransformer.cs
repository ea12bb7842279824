using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OllamaGateway.Errors;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;
using OllamaGateway.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Header hygiene for native passthrough: only an allow-list of request headers is copied to Ollama. Hop-by-hop
/// headers, credentials, cookies, <c>Origin</c> (Ollama's CORS check would 403), forwarding and method-override
/// headers and Functions platform headers never are (security.md §2.3), and <c>Host</c> is Ollama's own, from the
/// request URI (a public Host makes a loopback Ollama answer 403).
/// </summary>
internal sealed class PassthroughTransformer : HttpTransformer
{
    private readonly bool _scrubServerErrors;
    private readonly TimeSpan _idleTimeout;
    private readonly UpstreamFailureLog _failures;
    private readonly GatewayMetrics? _metrics;
    private readonly bool _routed;

    private static readonly string[] s_allowedRequestHeaders =
    [
        HeaderNames.Accept,
        HeaderNames.ContentType,
        HeaderNames.ContentLength,
        HeaderNames.UserAgent,
        HeaderNames.TraceParent,
        HeaderNames.TraceState,
    ];

    /// <param name="scrubServerErrors">
    /// True for keys other than admins: Ollama's 5xx error text is replaced, because it can name internal
    /// paths, users and model directories (security.md §1.2, Ollama #13223). 4xx errors stay as they are.
    /// </param>
    /// <param name="idleTimeout">How long an NDJSON stream may stay silent between chunks.</param>
    /// <param name="failures">Where a stream that breaks off is reported (with several servers, the answering server's log).</param>
    /// <param name="metrics">Counts open streams, when given.</param>
    /// <param name="routed">
    /// True when there are several Ollama servers: a request that may fail over (<see cref="UpstreamAttempt"/>) has a 503
    /// held back, before any of it reaches the client, when another server can answer instead.
    /// </param>
    public PassthroughTransformer(bool scrubServerErrors, TimeSpan idleTimeout, UpstreamFailureLog failures, GatewayMetrics? metrics = null, bool routed = false)
    {
        _scrubServerErrors = scrubServerErrors;
        _idleTimeout = idleTimeout;
        _failures = failures;
        _metrics = metrics;
        _routed = routed;
    }

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        // Only listed headers are copied (rather than copying all and removing the rest): nothing unlisted is ever
        // on the outgoing request, and the per-request work is a handful of lookups. Host is not listed, so the
        // client's Host never reaches Ollama; the framing the pipeline checked is the framing forwarded.
        var headers = httpContext.Request.Headers;
        var chunked = headers.ContainsKey(HeaderNames.TransferEncoding);
        foreach (var name in s_allowedRequestHeaders)
        {
            // With Transfer-Encoding, a Content-Length must not be forwarded (RFC 9112 §6.3); the pipeline refuses
            // such requests already, this keeps the transformer safe on its own.
            if ((!chunked || !ReferenceEquals(name, HeaderNames.ContentLength))
                && headers.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value))
            {
                AddHeader(proxyRequest, name, value);
            }
        }

        if (httpContext.Features.Get<GuardedBody>() is { } guarded)
        {
            proxyRequest.Options.Set(BufferedBodyHandler.Body, guarded.Bytes);
        }

        return default;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var attempt = _routed ? httpContext.Features.Get<UpstreamAttempt>() : null;
        if (attempt is { MayFailOver: true } && (proxyResponse is null || (proxyResponse.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && attempt.TryFindAlternative())))
        {
            // Nothing of this answer goes to the client: the handler sends the request to another server (a 503, "server
            // busy") or decides what a failure to connect means. Returning false leaves the response untouched.
            return false;
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        // One client's cookie must never reach another through a shared upstream.
        httpContext.Response.Headers.Remove(HeaderNames.SetCookie);
        var record = httpContext.Features.Get<RequestRecord>();
        var status = (int?)proxyResponse?.StatusCode ?? 0;
        if (status >= StatusCodes.Status400BadRequest)
        {
            UpstreamErrors.AddRetryHints(httpContext.Response, status, sdkHints: false);
            record?.Fail(GatewayError.UpstreamRefused);
        }

        if (copyBody && proxyResponse is { IsSuccessStatusCode: true })
        {
            // Streams, and the whole answers of inference routes (whose token counts the record needs), are relayed
            // by the gateway; everything else is YARP's copy.
            var stream = NativeAnswerRelay.IsNdjson(proxyResponse);
            if (stream || (record?.Route?.Operation is not null && NativeAnswerRelay.IsJson(proxyResponse)))
            {
                await NativeAnswerRelay.CopyAsync(httpContext, proxyResponse, stream, _idleTimeout, attempt?.Upstream.Failures ?? _failures, stream ? _metrics : null, httpContext.RequestAborted);
                return false;
            }
        }

        record?.MarkFirstByte();
        if (!_scrubServerErrors || proxyResponse is null || !UpstreamErrors.HidesText(status))
        {
            return copyBody;
        }

        var response = httpContext.Response;
        var body = new ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(body))
        {
            ErrorShapes.Write(writer, ApiSurface.Ollama, status, UpstreamErrors.HiddenMessage(status), param: null, code: null);
        }

        response.Headers.Remove(HeaderNames.ContentLength);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, cancellationToken);
        return false;
    }

    private static void AddHeader(HttpRequestMessage request, string name, StringValues value)
    {
        // Content-Type and Content-Length belong to the content (none on a request without a body: dropped).
        var headers = ReferenceEquals(name, HeaderNames.ContentType) || ReferenceEquals(name, HeaderNames.ContentLength)
            ? request.Content?.Headers
            : (System.Net.Http.Headers.HttpHeaders)request.Headers;
        if (value.Count == 1)
        {
            headers?.TryAddWithoutValidation(name, value.ToString());
        }
        else
        {
            headers?.TryAddWithoutValidation(name, (IEnumerable<string>)value);
        }
    }
}
