using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OllamaGateway.Emulator;
using OllamaGateway.Server;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.SharedState;

/// <summary>
/// Several Gateway.Server instances over one Redis and one Ollama emulator, each built exactly as its command line
/// builds it, on its own loopback port: what a load balancer spreads requests over.
/// </summary>
internal sealed class GatewayCluster : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];

    private GatewayCluster(RedisTestServer redis, OllamaEmulator emulator, TempDirectory directory, string prefix)
    {
        Redis = redis;
        Emulator = emulator;
        Directory = directory;
        Prefix = prefix;
    }

    public RedisTestServer Redis { get; }

    public OllamaEmulator Emulator { get; }

    public TempDirectory Directory { get; }

    /// <summary>The key prefix these instances share (unique per cluster).</summary>
    public string Prefix { get; }

    public IReadOnlyList<WebApplication> Instances => _apps;

    public List<Uri> Addresses { get; } = [];

    /// <summary>What each instance logged.</summary>
    public List<RecordingLoggerProvider> Logs { get; } = [];

    public static async Task<GatewayCluster> StartAsync(RedisTestServer redis, int instances, string keysJson, EmulatorOptions? emulatorOptions = null, params string[] extraArgs)
    {
        var cluster = new GatewayCluster(redis, await OllamaEmulator.StartAsync(emulatorOptions), new TempDirectory(), "t" + Guid.NewGuid().ToString("N")[..8] + ":");
        File.WriteAllText(cluster.Directory.PathOf("keys.json"), keysJson);
        for (var i = 0; i < instances; i++)
        {
            await cluster.AddInstanceAsync(extraArgs);
        }

        return cluster;
    }

    /// <summary>The arguments that point an instance at this cluster's Redis.</summary>
    public string[] RedisArgs(params string[] extraArgs) =>
        [$"--Gateway:Redis:Configuration={Redis.Configuration}", $"--Gateway:Redis:KeyPrefix={Prefix}", .. extraArgs];

    public async Task AddInstanceAsync(params string[] extraArgs)
    {
        // Each instance its own ledger, as instances on separate machines have.
        var ledger = Directory.PathOf($"usage-{_apps.Count}.db");
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={Emulator.BaseAddress.ToString().TrimEnd('/')}", $"--Gateway:KeysFile={Directory.PathOf("keys.json")}",
            .. RedisArgs([$"--Gateway:Usage:Path={ledger}", .. extraArgs])];
        var builder = ServerApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var log = new RecordingLoggerProvider();
        builder.Logging.AddProvider(log);
        Logs.Add(log);
        var app = ServerApp.Build(builder);
        await app.StartAsync();
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Addresses.Add(new Uri(address.TrimEnd('/') + "/"));
    }

    public HttpClient Client(int instance, string? key)
    {
        var client = new HttpClient { BaseAddress = Addresses[instance] };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Emulator.DisposeAsync();
        Directory.Dispose();
    }
}
