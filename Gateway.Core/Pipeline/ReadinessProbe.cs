using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Forwarding;
using OllamaGateway.SharedState;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /readyz</c>: whether Ollama answers, and each server's state (name, healthy, requests in flight, weight, and
/// with several servers the models it has and has loaded). With one server it asks that server; its result is cached
/// for a second, since the route needs no key: a flood of probes costs Ollama at most one <c>/api/version</c> call per
/// second. With several it reports what the gateway's own probes found (<see cref="UpstreamMonitor"/>) and is ready while
/// any server is healthy ("degraded" while some are not). With Redis configured it also says whether Redis is in use:
/// "degraded" while it is not (the instance limits alone; requests are still served, so it stays ready).
/// </summary>
internal sealed class ReadinessProbe(UpstreamSet upstreams, TimeProvider timeProvider, RedisConnection? redis = null)
{
    private static readonly TimeSpan s_cacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, bool Ready) _last = (DateTimeOffset.MinValue, false);

    public async Task WriteAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var statuses = upstreams.Statuses();
        bool ready;
        string status;
        if (upstreams.Single is not null)
        {
            ready = await IsReadyAsync(upstreams.Single, cancellationToken);
            statuses = [statuses[0] with { Healthy = ready }];
            status = ready ? "ready" : "not ready";
        }
        else
        {
            var healthy = statuses.Count(upstream => upstream.Healthy);
            ready = healthy > 0;
            status = !ready ? "not ready" : healthy < statuses.Count ? "degraded" : "ready";
        }

        var redisAvailable = redis?.IsAvailable;
        if (redisAvailable == false && ready)
        {
            status = "degraded";
        }

        var response = context.Response;
        response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(Write(status, ready, statuses, redisAvailable), cancellationToken);
        }
    }

    private static byte[] Write(string status, bool ready, IReadOnlyList<UpstreamStatus> statuses, bool? redisAvailable)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", status);
            if (!ready)
            {
                writer.WriteString("reason", "Ollama does not answer");
            }

            // Names, counts and weights only: a server's URL is never shown (the route needs no key).
            writer.WriteStartArray("upstreams");
            foreach (var upstream in statuses)
            {
                writer.WriteStartObject();
                writer.WriteString("name", upstream.Name);
                writer.WriteBoolean("healthy", upstream.Healthy);
                if (upstream.Models is { } models)
                {
                    writer.WriteNumber("models", models);
                }

                if (upstream.Loaded is { } loaded)
                {
                    writer.WriteNumber("loaded", loaded);
                }

                writer.WriteNumber("in_flight", upstream.InFlight);
                writer.WriteNumber("weight", upstream.Weight);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (redisAvailable is { } available)
            {
                // Whether limits and usage are shared now, or counted per instance until Redis answers again.
                writer.WriteStartObject("redis");
                writer.WriteBoolean("available", available);
                writer.WriteString("limits", available ? "shared" : "per instance");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<bool> IsReadyAsync(OllamaUpstream upstream, CancellationToken cancellationToken)
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
