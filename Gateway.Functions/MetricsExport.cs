using Azure.Core;
using Azure.Identity;
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

        var credential = ManagedIdentityFor(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(GatewayMeter.Name);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }

            if (!string.IsNullOrWhiteSpace(applicationInsights))
            {
                metrics.AddAzureMonitorMetricExporter(options =>
                {
                    options.ConnectionString = applicationInsights;
                    options.Credential = credential;
                });
            }
        });
        return builder;
    }

    /// <summary>
    /// The credential Application Insights' <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> asks for:
    /// <c>Authorization=AAD</c> signs in with the app's managed identity (<c>ClientId=…</c> names a user-assigned one,
    /// as the Bicep template writes it); absent or anything else, null (the connection string's key is used). With
    /// local authentication off, Application Insights accepts only such signed-in telemetry.
    /// </summary>
    public static TokenCredential? ManagedIdentityFor(string? authenticationString)
    {
        string? clientId = null;
        var aad = false;
        foreach (var part in (authenticationString ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = part.IndexOf('=') is var equals and > 0 ? (part[..equals].Trim(), part[(equals + 1)..].Trim()) : (part, string.Empty);
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                aad = value.Equals("AAD", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("ClientId", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
            {
                clientId = value;
            }
        }

        return aad ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId)) : null;
    }
}
