using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Routing;
using OllamaGateway.Usage.Metrics.Prometheus;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /metrics</c>: the gateway's metrics in Prometheus text format, for admin keys and keys whose rights include
/// <c>metrics: true</c> (what a Prometheus server scrapes with, as a bearer token); any other key gets 403. The
/// pipeline has already authenticated the request, so no key at all was a 401 before this.
/// </summary>
internal sealed partial class MetricsHandler(PrometheusCollector collector, IOptions<GatewayOptions> options, ILogger<MetricsHandler> logger)
{
    private readonly bool _enabled = options.Value.Metrics.Enabled;

    public async Task HandleAsync(HttpContext context, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.RouteNotFound, "Metrics are off here (Gateway:Metrics:Enabled=false).");
            return;
        }

        if (!key.Admin && !key.Metrics)
        {
            Log.Forbidden(logger, key.Name);
            await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.Forbidden, "This key may not read metrics.");
            return;
        }

        var body = Encoding.UTF8.GetBytes(collector.Collect());
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusText.ContentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(body, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Information, "Key {KeyName} was refused metrics: it has neither the metrics nor the admin right.", EventName = "MetricsForbidden")]
        public static partial void Forbidden(ILogger logger, string keyName);
    }
}
