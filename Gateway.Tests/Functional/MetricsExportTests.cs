using System.Net;
using System.Text;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// The server pushes the gateway's metrics over OTLP (HTTP/protobuf) when the standard OpenTelemetry settings name a
/// collector, and exports nothing when they do not.
/// </summary>
public sealed class MetricsExportTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OtlpEndpointSet_ServerExportsTheGatewaysMetricsToTheCollector()
    {
        await using var collector = await TelemetryReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(emulatorOptions: null, keysJson: null, extraArgs:
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.Address.ToString().TrimEnd('/')}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=200",
            "--OTEL_SERVICE_NAME=ollama-gateway-test",
        ]);
        using var client = host.CreateClient();

        using var response = await client.PostAsync("v1/chat/completions", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Exports repeat every interval; the ones after the request has been measured carry its instruments (an
        // export may fall between two measurements of the same request, so wait for one with both).
        var export = await collector.WaitForAsync(post => post.Contains("ollama_gateway.tokens") && post.Contains("gen_ai.server.request.duration"), s_timeout);
        Assert.Equal("POST", export.Method);
        Assert.Equal("/v1/metrics", export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.True(export.Contains("ollama-gateway-test"));
        Assert.False(export.Contains(GatewayTestHost.Key));
    }

    [Fact]
    public async Task NoOtlpEndpoint_NoExporterIsRegistered()
    {
        await using var host = await GatewayTestHost.StartAsync();

        Assert.Null(host.App.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
    }
}
