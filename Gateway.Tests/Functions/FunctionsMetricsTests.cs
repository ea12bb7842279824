using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OllamaGateway.Functions;
using OllamaGateway.Hosting;
using OllamaGateway.Pipeline;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// On Azure Functions the pipeline serves <c>GET /metrics</c> through the catch-all function as the server does, and
/// the worker pushes the same metrics over OTLP when the standard settings name a collector.
/// </summary>
public sealed class FunctionsMetricsTests
{
    private const string ScraperKey = "sk-scraper-0123456789abcdef";
    private const string KeysJson = $$"""{"keys": ["{{GatewayTestHost.Key}}", {"name": "scraper", "key": "{{ScraperKey}}", "metrics": true}]}""";
    private const string Chat = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task CatchAllFunction_ServesTheMetricsOfItsOwnRequests()
    {
        await using var server = await GatewayTestHost.StartAsync(keysJson: KeysJson);
        await using var functions = await FunctionsHarness.StartAsync(server.Emulator.BaseAddress.ToString(), server.KeysFile);
        await new ChatCompletions(functions.Pipeline).Run(FunctionsHarness.CreateContext("POST", "/v1/chat/completions", GatewayTestHost.Key, Chat).Request, CancellationToken.None);

        var context = FunctionsHarness.CreateContext("GET", "/metrics", ScraperKey);
        await new OllamaPassthrough(functions.Pipeline).Run(context.Request, CancellationToken.None);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", context.Response.ContentType);
        var exposition = FunctionsHarness.ResponseText(context);
        Assert.Equal(1, MetricsScrape.Value(exposition, "ollama_gateway_requests_total{key=\"keys[0]\",route=\"/v1/chat/completions\",status=\"200\"}"));
        Assert.True(MetricsScrape.Value(exposition, "ollama_gateway_tokens_total{key=\"keys[0]\",model=\"llama3.2:latest\",type=\"output\"}") > 0);

        var forbidden = FunctionsHarness.CreateContext("GET", "/metrics", GatewayTestHost.Key);
        await new OllamaPassthrough(functions.Pipeline).Run(forbidden.Request, CancellationToken.None);
        Assert.Equal(403, forbidden.Response.StatusCode);
    }

    [Fact]
    public async Task OtlpEndpointSet_WorkerExportsTheGatewaysMetrics()
    {
        await using var server = await GatewayTestHost.StartAsync(keysJson: KeysJson);
        await using var collector = await TelemetryReceiver.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:OllamaUrl"] = server.Emulator.BaseAddress.ToString(),
            ["Gateway:KeysFile"] = server.KeysFile,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        builder.Logging.ClearProviders();

        // What the worker's Program.cs does.
        builder.AddGateway();
        builder.AddMetricsExport();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var context = FunctionsHarness.CreateContext("POST", "/v1/chat/completions", GatewayTestHost.Key, Chat);
            await new ChatCompletions(host.Services.GetRequiredService<GatewayPipeline>()).Run(context.Request, CancellationToken.None);
            Assert.Equal(200, context.Response.StatusCode);

            var export = await collector.WaitForAsync(post => post.Contains("ollama_gateway.tokens") && post.Contains("gen_ai.client.token.usage"), TimeSpan.FromSeconds(60));
            Assert.Equal("/v1/metrics", export.Path);
            Assert.Equal("application/x-protobuf", export.ContentType);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void NoExportSetting_NoExporterIsRegistered()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:OllamaUrl"] = "http://127.0.0.1:11434" });

        builder.AddMetricsExport();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Null(services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Theory]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData(" authorization = aad ; ", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000001", false)]
    [InlineData("Authorization=Key", false)]
    public void AuthenticationString_SignsInWithTheManagedIdentityOnlyForAad(string? authenticationString, bool managedIdentity)
    {
        var credential = MetricsExport.ManagedIdentityFor(authenticationString);

        Assert.Equal(managedIdentity, credential is Azure.Identity.ManagedIdentityCredential);
        Assert.Equal(managedIdentity, credential is not null);
    }
}
