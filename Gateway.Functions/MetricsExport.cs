using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OllamaGateway.Usage.Metrics;
using OpenTelemetry.Metrics;

namespace OllamaGateway.Functions;

/// <summary>
/// How operators see the gateway's metrics on Azure Functions, where no scrape endpoint of the worker is reachable:
/// pushed to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the Bicep template sets
/// it), and over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is; off when neither is.
/// </summary>
public static class MetricsExport
{
    /// <summary>Registers the exporters the configuration asks for.</summary>
    public static IHostApplicationBuilder AddMetricsExport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        var applicationInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!otlp && string.IsNullOrWhiteSpace(applicationInsights))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(GatewayMeter.Name);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }

            if (!string.IsNullOrWhiteSpace(applicationInsights))
            {
                metrics.AddAzureMonitorMetricExporter(options => options.ConnectionString = applicationInsights);
            }
        });
        return builder;
    }
}
