using System.Net;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OllamaGateway.Hosting;
using OllamaGateway.Server;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Hosting;

/// <summary>
/// The framework's per-request lines (which print URLs with their query strings) are off by default in both hosts,
/// and back only when configuration names their category: .NET picks the most specific category's rule, so a
/// general level such as <c>Default</c> does not bring them back.
/// </summary>
public sealed class FrameworkLogLevelsTests
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string QuerySecret = "sk-query-0123456789";

    [Theory]
    [InlineData(null)]
    [InlineData("--Logging:LogLevel:Default=Debug")]
    [InlineData("--Logging:LogLevel:Microsoft=Information")]
    public async Task Server_WithoutASettingNamingTheCategory_LogsNoRequestLine(string? setting)
    {
        var logged = await LogOneRequestAsync(setting);

        Assert.Contains(logged, entry => entry.Category.StartsWith("OllamaGateway.", StringComparison.Ordinal) && entry.Level == LogLevel.Information);
        Assert.DoesNotContain(logged, entry => entry.Category.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) && entry.Level < LogLevel.Warning);
        Assert.DoesNotContain(logged, entry => entry.Message.Contains(QuerySecret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information")]
    [InlineData("--Logging:LogLevel:Microsoft.AspNetCore=Information")]
    public async Task Server_WithASettingNamingTheCategory_LogsRequestLinesAgain(string setting)
    {
        var logged = await LogOneRequestAsync(setting);

        Assert.Contains(logged, entry => entry.Category == HostingDiagnostics && entry.Message.Contains($"?api_key={QuerySecret}", StringComparison.Ordinal));
    }

    [Fact]
    public void FunctionsWorker_KeepsFrameworkRequestLinesOffAndItsOwnOn()
    {
        // The worker's Program.cs, built but not run (running needs the Functions host).
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ConfigureFunctionsWebApplication();
        builder.AddGateway();
        var recorder = new RecordingLoggerProvider();
        builder.Logging.AddProvider(recorder);
        using var host = builder.Build();
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        foreach (var category in (string[])[HostingDiagnostics, "Microsoft.AspNetCore.Routing.EndpointMiddleware", "System.Net.Http.HttpClient.Default.LogicalHandler"])
        {
            Assert.False(loggers.CreateLogger(category).IsEnabled(LogLevel.Information), category);
            Assert.True(loggers.CreateLogger(category).IsEnabled(LogLevel.Warning), category);
        }

        // YARP's forwarding failures (a Warning with a stack trace per request) are the gateway's to log, once per outage.
        Assert.False(loggers.CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder").IsEnabled(LogLevel.Error));

        Assert.True(loggers.CreateLogger("OllamaGateway.Pipeline.GatewayPipeline").IsEnabled(LogLevel.Information));
    }

    // One request with a key in its query string through the real server, its log lines recorded.
    private static async Task<IReadOnlyList<RecordingLoggerProvider.Entry>> LogOneRequestAsync(string? setting)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a-0123456789"]}""");
        string[] args = ["--urls", "http://127.0.0.1:0", "--Gateway:OllamaUrl=http://127.0.0.1:1", $"--Gateway:KeysFile={directory.PathOf("keys.json")}"];
        var builder = ServerApp.CreateBuilder(setting is null ? args : [.. args, setting]);
        var recorder = new RecordingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(recorder);
        await using var app = ServerApp.Build(builder);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await client.GetAsync(new Uri($"/api/tags?api_key={QuerySecret}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await app.StopAsync();
        return recorder.Entries;
    }
}
