using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Emulator;
using OllamaGateway.Server;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// A key whose token budget is spent gets 429 with Retry-After until its window frees, counted from Ollama's exact
/// usage, native and translated alike; the clock is fake, so windows turn when the test says.
/// </summary>
public sealed class TokenBudgetTests : IAsyncLifetime
{
    private const string Key = "sk-budget-0123456789";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 58, 15, TimeSpan.Zero));
    private OllamaEmulator _emulator = null!;
    private TempDirectory _directory = null!;
    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OllamaEmulator.StartAsync();
        _directory = new TempDirectory();
        File.WriteAllText(_directory.PathOf("keys.json"), $$$"""{"keys": [{"name": "budget", "key": "{{{Key}}}", "limits": {"tokensPerMinute": 40, "tokensPerDay": 100}}]}""");
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={_emulator.BaseAddress.ToString().TrimEnd('/')}", $"--Gateway:KeysFile={_directory.PathOf("keys.json")}"];
        var builder = ServerApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        _app = ServerApp.Build(builder);
        await _app.StartAsync();

        // One connection: the server finishes a request (its usage spent) before it reads the next one.
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(_app.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task SpentMinute_Returns429WithRetryAfter_UntilTheNextMinute()
    {
        var spent = 0L;
        HttpResponseMessage response;
        while ((response = await ChatAsync(native: spent % 2 == 0)).StatusCode == HttpStatusCode.OK)
        {
            spent += await TokensOfAsync(response);
            Assert.True(spent < 40 + 40, "the budget never refused");
        }

        Assert.True(spent >= 40, $"refused after {spent} tokens, before the budget of 40 was spent");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), response.Headers.RetryAfter?.Delta);
        Assert.Contains("tokens per minute", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Listing models costs no tokens and stays open.
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("api/tags")).StatusCode);

        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(native: false)).StatusCode);
    }

    [Fact]
    public async Task SpentDay_Returns429UntilUtcMidnight()
    {
        var spent = 0L;
        HttpResponseMessage response;
        while ((response = await ChatAsync(native: true)).StatusCode == HttpStatusCode.OK)
        {
            spent += await TokensOfAsync(response);

            // Each request in a new minute: only the day's budget can run out.
            _time.Advance(TimeSpan.FromSeconds(60));
        }

        Assert.True(spent >= 100, $"refused after {spent} tokens");
        Assert.Contains("tokens per day", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var untilMidnight = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero) - _time.GetUtcNow();
        Assert.Equal(Math.Ceiling(untilMidnight.TotalSeconds), response.Headers.RetryAfter?.Delta?.TotalSeconds);
        _time.Advance(untilMidnight - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(native: true)).StatusCode);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(native: true)).StatusCode);
    }

    private Task<HttpResponseMessage> ChatAsync(bool native) => native
        ? _client.PostAsync("api/chat", new StringContent("""{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"))
        : _client.PostAsync("v1/chat/completions", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

    private static async Task<long> TokensOfAsync(HttpResponseMessage response)
    {
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return root.TryGetProperty("usage", out var usage)
            ? usage.GetProperty("total_tokens").GetInt64()
            : root.GetProperty("prompt_eval_count").GetInt64() + root.GetProperty("eval_count").GetInt64();
    }
}
