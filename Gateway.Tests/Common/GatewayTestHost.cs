using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OllamaGateway.Emulator;
using OllamaGateway.Server;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// The real thing on real sockets: the Ollama emulator and Gateway.Server, both on 127.0.0.1 with free
/// ports, the server built exactly as its command line builds it.
/// </summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    public const string Key = "sk-test-0123456789abcdef";
    public const string SecondKey = "sk-second-0123456789";

    private GatewayTestHost(OllamaEmulator emulator, WebApplication app, Uri baseAddress, TempDirectory directory)
    {
        Emulator = emulator;
        App = app;
        BaseAddress = baseAddress;
        Directory = directory;
    }

    public OllamaEmulator Emulator { get; }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public TempDirectory Directory { get; }

    public string KeysFile => Directory.PathOf("keys.json");

    public static Task<GatewayTestHost> StartAsync(EmulatorOptions? emulatorOptions = null, string? keysJson = null, params string[] extraArgs) =>
        StartAsync(configure: null, emulatorOptions, keysJson, extraArgs);

    /// <summary>Starts the pair, letting <paramref name="configure"/> change the server's builder (a logger, a clock) first.</summary>
    public static async Task<GatewayTestHost> StartAsync(Action<WebApplicationBuilder>? configure, EmulatorOptions? emulatorOptions = null, string? keysJson = null, params string[] extraArgs)
    {
        var emulator = await OllamaEmulator.StartAsync(emulatorOptions);
        var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), keysJson ?? $$"""{"keys": ["{{Key}}", {"name": "second", "key": "{{SecondKey}}"}]}""");
        var app = BuildServer(emulator.BaseAddress.ToString().TrimEnd('/'), directory.PathOf("keys.json"), configure, extraArgs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayTestHost(emulator, app, new Uri(address.TrimEnd('/') + "/"), directory);
    }

    public static WebApplication BuildServer(string ollamaUrl, string keysFile, params string[] extraArgs) =>
        BuildServer(ollamaUrl, keysFile, configure: null, extraArgs);

    public static WebApplication BuildServer(string ollamaUrl, string keysFile, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={ollamaUrl}", $"--Gateway:KeysFile={keysFile}", .. extraArgs];
        var builder = ServerApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        return ServerApp.Build(builder);
    }

    public HttpClient CreateClient(string? key = Key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Dispose();
    }
}
