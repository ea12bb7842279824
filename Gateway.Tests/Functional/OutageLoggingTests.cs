using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Server;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// With Ollama down, a thousand failed requests write one warning line (no stack trace), then one summary per 10 s
/// while the outage lasts — not two stack traces per request.
/// </summary>
public sealed class OutageLoggingTests
{
    [Fact]
    public async Task ThousandRequestsDuringAnOutage_LogOneLineThenOneSummaryPerWindow()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys": ["{{GatewayTestHost.Key}}"]}""");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var recorder = new RecordingLoggerProvider();
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl=http://127.0.0.1:{ClosedPort()}", $"--Gateway:KeysFile={directory.PathOf("keys.json")}"];
        var builder = ServerApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(recorder);
        builder.Services.AddSingleton<TimeProvider>(time);
        await using var app = ServerApp.Build(builder);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", GatewayTestHost.Key);

        var statuses = new List<HttpStatusCode>();
        for (var batch = 0; batch < 100; batch++)
        {
            statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SendAsync(client, (batch * 10) + i))));
        }

        Assert.Equal(1000, statuses.Count(status => status == HttpStatusCode.BadGateway));
        var warnings = Warnings(recorder);
        var first = Assert.Single(warnings);
        Assert.Null(first.Exception);
        Assert.Contains("connection refused", first.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(10));
        var summary = Assert.Single(Warnings(recorder).Skip(1));
        Assert.Contains("999 requests failed in the last 10 s", summary.Message, StringComparison.Ordinal);

        // A window without failures ends the outage: nothing more is written.
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Warnings(recorder).Count);
    }

    private static List<RecordingLoggerProvider.Entry> Warnings(RecordingLoggerProvider recorder) =>
        [.. recorder.Entries.Where(entry => entry.Level >= LogLevel.Warning)];

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, int index)
    {
        using var response = (index % 3) switch
        {
            0 => await client.GetAsync("api/tags"),
            1 => await client.PostAsync("api/chat", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json")),
            _ => await client.PostAsync("v1/chat/completions", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json")),
        };
        return response.StatusCode;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
