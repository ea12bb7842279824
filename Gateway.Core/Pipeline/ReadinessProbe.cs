using Microsoft.AspNetCore.Http;
using OllamaGateway.Forwarding;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /readyz</c>: whether Ollama answers. It needs no key, so its result is cached for a second: a flood
/// of probes costs Ollama at most one <c>/api/version</c> call per second.
/// </summary>
internal sealed class ReadinessProbe(OllamaUpstream upstream, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_cacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, bool Ready) _last = (DateTimeOffset.MinValue, false);

    public async Task WriteAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var ready = await IsReadyAsync(cancellationToken);
        var response = context.Response;
        response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(ready ? "{\"status\":\"ready\"}"u8.ToArray() : "{\"status\":\"not ready\",\"reason\":\"Ollama does not answer\"}"u8.ToArray(), cancellationToken);
        }
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow();
            if (now - _last.At < s_cacheFor)
            {
                return _last.Ready;
            }

            bool ready;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, upstream.UriFor("/api/version"));
                using var response = await upstream.Invoker.SendAsync(request, timeout.Token);
                ready = response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                ready = false;
            }

            _last = (now, ready);
            return ready;
        }
        finally
        {
            _gate.Release();
        }
    }
}
