using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Hosting;
using OllamaGateway.Pipeline;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// The ledger off the request path: a graceful stop writes what is still queued, a location that cannot be written
/// stops start-up with one clear line, a ledger that fails while serving costs no request, and Azure Functions never
/// writes one.
/// </summary>
public sealed class UsageLedgerOperationTests
{
    [Fact]
    public async Task GracefulStop_WritesEveryQueuedRow()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        var writer = host.App.Services.GetRequiredService<UsageLedgerWriter>();
        await WaitUntilAsync(() => RowCount(host) == 1);

        // Another connection holds the write lock: the writer's next batch waits, and rows queue up behind it.
        await using var blocker = new SqliteConnection($"Data Source={host.Directory.PathOf("usage.db")}");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        }

        await WaitUntilAsync(() => writer.QueueDepth > 0);
        var stopping = host.App.StopAsync();
        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        await stopping;

        Assert.Equal(21, RowCount(host));
        Assert.Equal(0, writer.Dropped);
    }

    [Fact]
    public async Task UnwritableLedgerLocation_StopsStartUpWithOneLineNamingTheSetting()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys": ["{{GatewayTestHost.Key}}"]}""");
        var error = new StringWriter();

        // /proc takes no new files, whoever runs the test.
        var exit = await Task.Run(() => CommandLine.Run(
            ["serve", "--urls", "http://127.0.0.1:0", "--Gateway:OllamaUrl=http://127.0.0.1:1", $"--Gateway:KeysFile={directory.PathOf("keys.json")}", "--Gateway:Usage:Path=/proc/ogw-no-such-dir/usage.db"],
            new CommandContext(TextWriter.Null, error, TimeProvider.System, directory.Path))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        Assert.StartsWith("Configuration error: Gateway:Usage:Path: cannot write the usage ledger '/proc/ogw-no-such-dir/usage.db'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerOff_WritesNothing_AndReportsSaySo()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:Usage:Enabled=false");
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        using var report = await client.GetAsync("gateway/usage/me");

        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.Contains("Gateway:Usage:Enabled", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(host.Directory.PathOf("usage.db")));
    }

    [Fact]
    public async Task LedgerFailingWhileServing_CostsNoRequest_AndIsLoggedAndCounted()
    {
        var recorder = new RecordingLoggerProvider();
        await using var host = await GatewayTestHost.StartAsync(configure: builder => builder.Logging.AddProvider(recorder));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        await WaitUntilAsync(() => RowCount(host) == 1);

        // The ledger loses its table under the gateway's feet.
        await using (var connection = new SqliteConnection($"Data Source={host.Directory.PathOf("usage.db")}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE requests";
            await drop.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        }

        var writer = host.App.Services.GetRequiredService<UsageLedgerWriter>();
        // The count moves just before the line is logged: wait for both, as an operator would see them.
        await WaitUntilAsync(() => writer.Failed >= 5 && recorder.Entries.Any(entry => entry.EventId.Id == 5011));
        Assert.Contains(recorder.Entries, entry => entry.EventId.Id == 5011 && entry.Level == LogLevel.Error);
    }

    [Fact]
    public async Task FunctionsWorker_WritesNoLedgerByDefault_AndRefusesOneAtStartUp()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys": ["{{GatewayTestHost.Key}}"]}""");

        using (var worker = Worker(directory, usageEnabled: null))
        {
            await worker.StartAsync();
            Assert.Null(worker.Services.GetService<IUsageReportSource>());
            var context = FunctionsHarness.CreateContext("GET", "/gateway/usage/me", GatewayTestHost.Key);
            await worker.Services.GetRequiredService<GatewayPipeline>().InvokeAsync(context, CancellationToken.None);
            Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
            Assert.Contains("Gateway:Usage:Enabled", FunctionsHarness.ResponseText(context), StringComparison.Ordinal);
            await worker.StopAsync();
        }

        Assert.False(File.Exists(directory.PathOf("usage.db")));
        // Settings are validated as the host is built: the worker never starts.
        var failure = Assert.Throws<OptionsValidationException>(() => Worker(directory, usageEnabled: "true"));
        Assert.Contains(failure.Failures, f => f.StartsWith("Gateway:Usage:Enabled cannot be true under Azure Functions", StringComparison.Ordinal));
    }

    private static IHost Worker(TempDirectory directory, string? usageEnabled)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Environment.ContentRootPath = directory.Path;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // What the Functions host sets for its workers.
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["Gateway:OllamaUrl"] = "http://127.0.0.1:1",
            ["Gateway:KeysFile"] = directory.PathOf("keys.json"),
            ["Gateway:Usage:Enabled"] = usageEnabled,
        });
        builder.Logging.ClearProviders();
        builder.AddGateway();
        return builder.Build();
    }

    private static long RowCount(GatewayTestHost host)
    {
        using var connection = new SqliteConnection($"Data Source={host.Directory.PathOf("usage.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM requests";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
