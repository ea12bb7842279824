using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OllamaGateway.Usage.Metrics;
using OpenTelemetry.Metrics;

namespace OllamaGateway.Server.Hosting;

/// <summary>
/// Pushes the gateway's metrics to an OpenTelemetry collector (or anything that takes OTLP, Azure Monitor included)
/// when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>) setting is
/// present; off otherwise. The exporter reads the other standard settings itself (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_SERVICE_NAME</c>). <c>GET /metrics</c>
/// works either way.
/// </summary>
internal static class MetricsExport
{
    public static void AddTo(IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            && string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]))
        {
            return;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMeter.Name).AddOtlpExporter());
    }
}
