using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Emulator;
using OllamaGateway.Server;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional.Agents;

/// <summary>
/// Anthropic streams show life while Ollama is silent: the stream opens before Ollama answers (a model can take minutes
/// to load) and a <c>ping</c> follows every ten seconds of the gateway's clock, which here is a fake one.
/// </summary>
public sealed class AnthropicKeepAliveTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TempDirectory _directory = new();
    private OllamaEmulator? _emulator;
    private WebApplication? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        _directory.Dispose();
    }

    private async Task<HttpClient> StartAsync(EmulatorOptions emulatorOptions)
    {
        _emulator = await OllamaEmulator.StartAsync(emulatorOptions);
        File.WriteAllText(_directory.PathOf("keys.json"), $$"""{"keys": ["{{GatewayTestHost.Key}}"]}""");
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={_emulator.BaseAddress.ToString().TrimEnd('/')}", $"--Gateway:KeysFile={_directory.PathOf("keys.json")}"];
        var builder = ServerApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        _app = ServerApp.Build(builder);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Add("x-api-key", GatewayTestHost.Key);
        return client;
    }

    private static HttpRequestMessage Streamed(string model) => new(HttpMethod.Post, "v1/messages?beta=true")
    {
        Content = new StringContent(
            $$"""{"model":"{{model}}","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}""",
            Encoding.UTF8, "application/json"),
    };

    private static async Task<(string Event, JsonElement Data)> NextAsync(StreamReader reader)
    {
        var name = await reader.ReadLineAsync();
        var data = await reader.ReadLineAsync();
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        Assert.StartsWith("event: ", name, StringComparison.Ordinal);
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        return (name!["event: ".Length..], JsonDocument.Parse(data!["data: ".Length..]).RootElement.Clone());
    }

    [Fact]
    public async Task WhileOllamaLoads_PingsFollowEveryInterval_AndLeavingCancelsOllama()
    {
        // Ollama sends nothing, not even headers, for an hour of real time: a model that loads.
        using var client = await StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromHours(1) });

        var response = await client.SendAsync(Streamed("llama3.2"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("message_start", (await NextAsync(reader)).Event);
        Assert.Equal("ping", (await NextAsync(reader)).Event);

        _time.Advance(Interval);
        Assert.Equal("ping", (await NextAsync(reader)).Event);
        _time.Advance(Interval);
        Assert.Equal("ping", (await NextAsync(reader)).Event);

        // The client leaves: Ollama's request is cancelled, though it never answered.
        var upstream = await _emulator!.WaitForRequestAsync(r => r.Path == "/api/chat", TimeSpan.FromSeconds(30));
        response.Dispose();
        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WhenOllamaFallsSilentMidStream_PingsFollow()
    {
        // Two lines, then a hung runner.
        using var client = await StartAsync(new EmulatorOptions { StallAfterLines = 2 });

        using var response = await client.SendAsync(Streamed("llama3.2"), HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new List<string>();
        while (seen.Count(e => e == "content_block_delta") < 2)
        {
            seen.Add((await NextAsync(reader)).Event);
        }

        _time.Advance(Interval);
        Assert.Equal("ping", (await NextAsync(reader)).Event);
        _time.Advance(Interval);
        Assert.Equal("ping", (await NextAsync(reader)).Event);
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta"], seen);
    }

    [Fact]
    public async Task StreamedUnknownModel_IsANotFoundErrorEventAfterTheStart()
    {
        using var client = await StartAsync(new EmulatorOptions());

        using var response = await client.SendAsync(Streamed("nope"));
        var frames = await SseFrame.ReadAllAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["message_start", "ping", "error"], frames.Select(f => f.Event));
        Assert.Equal("not_found_error", frames[^1].Data.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("model 'nope' not found", frames[^1].Data.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
