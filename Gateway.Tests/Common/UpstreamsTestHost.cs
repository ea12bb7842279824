using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Emulator;
using OllamaGateway.Forwarding;
using OllamaGateway.Server;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// Several Ollama emulators, each with its own models, behind one real Gateway.Server configured with
/// <c>Gateway:Upstreams</c>, all on 127.0.0.1. The gateway's clock is a <see cref="FakeTimeProvider"/>: background probes
/// and list reads run only when a test advances it or calls the monitor, so every test is deterministic.
/// </summary>
internal sealed class UpstreamsTestHost : IAsyncDisposable
{
    public const string Key = GatewayTestHost.Key;
    public const string AdminKey = "sk-admin-0123456789abcdef";
    public const string LlamaOnlyKey = "sk-llama-0123456789abcdef";

    private readonly Dictionary<string, OllamaEmulator> _emulators;

    private UpstreamsTestHost(Dictionary<string, OllamaEmulator> emulators, WebApplication app, Uri baseAddress, TempDirectory directory, FakeTimeProvider time)
    {
        _emulators = emulators;
        App = app;
        BaseAddress = baseAddress;
        Directory = directory;
        Time = time;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public TempDirectory Directory { get; }

    public FakeTimeProvider Time { get; }

    public string KeysFile => Directory.PathOf("keys.json");

    public UpstreamMonitor Monitor => App.Services.GetRequiredService<UpstreamMonitor>();

    public UpstreamSet Upstreams => App.Services.GetRequiredService<UpstreamSet>();

    public OllamaEmulator this[string name] => _emulators[name];

    /// <summary>One emulator per server, then the gateway in front of them; the gateway has read every server once when this returns.</summary>
    public static async Task<UpstreamsTestHost> StartAsync(params UpstreamSpec[] servers) => await StartAsync(servers, []);

    public static async Task<UpstreamsTestHost> StartAsync(UpstreamSpec[] servers, string[] extraArgs)
    {
        var emulators = new Dictionary<string, OllamaEmulator>(StringComparer.OrdinalIgnoreCase);
        foreach (var server in servers)
        {
            emulators[server.Name] = await OllamaEmulator.StartAsync(new EmulatorOptions { Models = [.. server.Models.Select(Model)] });
        }

        var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""
            {"keys": [
              {"name": "user", "key": "{{Key}}"},
              {"name": "admin", "key": "{{AdminKey}}", "admin": true},
              {"name": "llama-only", "key": "{{LlamaOnlyKey}}", "models": ["llama3.2*"]}
            ]}
            """);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = ServerApp.CreateBuilder([.. Arguments(servers, emulators, directory.PathOf("keys.json")), .. extraArgs]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        var app = ServerApp.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new UpstreamsTestHost(emulators, app, new Uri(address.TrimEnd('/') + "/"), directory, time);
    }

    /// <summary>The settings that describe these servers, as a user writes them.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(UpstreamSpec[] servers, IReadOnlyDictionary<string, OllamaEmulator> emulators)
    {
        for (var i = 0; i < servers.Length; i++)
        {
            var server = servers[i];
            yield return new($"Gateway:Upstreams:{i}:Name", server.Name);
            yield return new($"Gateway:Upstreams:{i}:Url", emulators[server.Name].BaseAddress.ToString().TrimEnd('/'));
            if (server.Weight is { } weight)
            {
                yield return new($"Gateway:Upstreams:{i}:Weight", weight.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            for (var j = 0; j < server.Globs.Length; j++)
            {
                yield return new($"Gateway:Upstreams:{i}:Models:{j}", server.Globs[j]);
            }
        }
    }

    /// <summary>An emulator model: the default catalog's entry of that name when there is one.</summary>
    public static EmulatorModel Model(string name) =>
        EmulatorOptions.DefaultModels.FirstOrDefault(model => model.Name == name) ?? new EmulatorModel { Name = name };

    public HttpClient CreateClient(string? key = Key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return client;
    }

    /// <summary>How many requests to <paramref name="path"/> the server <paramref name="name"/> has received.</summary>
    public int Count(string name, string path) => _emulators[name].Requests.Count(request => request.Path == path);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var emulator in _emulators.Values)
        {
            await emulator.DisposeAsync();
        }

        Directory.Dispose();
    }

    private static IEnumerable<string> Arguments(UpstreamSpec[] servers, Dictionary<string, OllamaEmulator> emulators, string keysFile)
    {
        yield return "--urls";
        yield return "http://127.0.0.1:0";
        yield return $"--Gateway:KeysFile={keysFile}";
        foreach (var (name, value) in Settings(servers, emulators))
        {
            yield return $"--{name}={value}";
        }
    }
}
