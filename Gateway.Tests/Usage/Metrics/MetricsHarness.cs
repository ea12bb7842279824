using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Routing;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;
using OllamaGateway.Usage.Metrics.Prometheus;

namespace OllamaGateway.Tests.Usage.Metrics;

/// <summary>The gateway's metrics and their Prometheus collector in a service container of their own, fed records made on a fake clock.</summary>
internal sealed class MetricsHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public MetricsHarness()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<GatewayMetrics>()
            .AddSingleton<PrometheusCollector>()
            .BuildServiceProvider();
        Collector = _services.GetRequiredService<PrometheusCollector>();
        Metrics = _services.GetRequiredService<GatewayMetrics>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public GatewayMetrics Metrics { get; }

    public PrometheusCollector Collector { get; }

    public System.Diagnostics.Metrics.IMeterFactory MeterFactory => _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public static GatewayRoute Route(string path) => GatewayRoutes.All.Single(route => route.Path == path);

    /// <summary>A record of a request to <paramref name="path"/> that starts now on the fake clock.</summary>
    public RequestRecord Start(string path, string? key = "alice", string? model = "llama3.2")
    {
        var route = Route(path);
        var apiKey = key is null ? null : new OllamaGateway.Auth.ApiKey(key, OllamaGateway.Auth.KeyHash.Compute("sk-" + key + "-0123456789"));
        return new RequestRecord(Time) { Route = route, Surface = route.Surface, Key = apiKey, RequestedModel = model, UpstreamModel = model };
    }

    /// <summary>The lines of the exposition that begin with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Lines(string prefix) =>
        [.. Collector.Collect().Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal))];

    public void Dispose() => _services.Dispose();
}
