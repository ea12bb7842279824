using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// <c>GET /metrics</c> on the real server: who may read it, that it passes <c>promtool check metrics</c>, and that its
/// counters hold exactly what happened — the emulator's own token counts, open streams, upstream failures, refusals.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string AliceKey = "sk-alice-0123456789abcdef";
    private const string ScraperKey = "sk-scraper-0123456789abcdef";
    private const string AdminKey = "sk-admin-0123456789abcdef";

    private const string KeysJson = $$"""
        {"keys": [
          {"name": "alice", "key": "{{AliceKey}}"},
          {"name": "scraper", "key": "{{ScraperKey}}", "metrics": true},
          {"name": "root", "key": "{{AdminKey}}", "admin": true}
        ]}
        """;

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(keysJson: KeysJson);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) };

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(AliceKey, HttpStatusCode.Forbidden)]
    [InlineData(ScraperKey, HttpStatusCode.OK)]
    [InlineData(AdminKey, HttpStatusCode.OK)]
    public async Task Metrics_AreForAdminAndMetricsKeysOnly(string? key, HttpStatusCode expected)
    {
        using var client = _host.CreateClient(key);

        using var response = await client.GetAsync("metrics");

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Contains("# TYPE ", body, StringComparison.Ordinal);
        }
        else
        {
            // Ollama's error shape, like every non-/v1 route; nothing about the metrics leaks.
            Assert.StartsWith("{\"error\":", body, StringComparison.Ordinal);
            Assert.DoesNotContain("ollama_gateway", body, StringComparison.Ordinal);
        }

        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task TokenCounters_HoldExactlyTheEmulatorsCounts_ForChatStreamedAndNotAndEmbeddings()
    {
        var chat = new ChatClient("llama3.2", new ApiKeyCredential(AliceKey), Options);
        await chat.CompleteChatAsync([new UserChatMessage("Say hello to the metrics")]);
        await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream a few words please")]))
        {
        }

        var embeddings = new EmbeddingClient("nomic-embed-text", new ApiKeyCredential(AliceKey), Options);
        await embeddings.GenerateEmbeddingsAsync(["first text to embed", "second"]);

        // What the emulator counts for exactly the bodies the gateway sent it, asked directly.
        var (chatInput, chatOutput) = await EmulatorCountsAsync("/api/chat");
        var (embedInput, _) = await EmulatorCountsAsync("/api/embed");
        Assert.True(chatInput > 0 && chatOutput > 0 && embedInput > 0);

        var exposition = await MetricsScrape.WaitForAsync(_host.BaseAddress, ScraperKey, text =>
            MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/chat/completions\",status=\"200\"}") == 2
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/embeddings\",status=\"200\"}") == 1);

        Assert.Equal(chatInput, MetricsScrape.Value(exposition, "ollama_gateway_tokens_total{key=\"alice\",model=\"llama3.2:latest\",type=\"input\"}"));
        Assert.Equal(chatOutput, MetricsScrape.Value(exposition, "ollama_gateway_tokens_total{key=\"alice\",model=\"llama3.2:latest\",type=\"output\"}"));
        Assert.Equal(embedInput, MetricsScrape.Value(exposition, "ollama_gateway_tokens_total{key=\"alice\",model=\"nomic-embed-text:latest\",type=\"input\"}"));
        Assert.Null(MetricsScrape.Value(exposition, "ollama_gateway_tokens_total{key=\"alice\",model=\"nomic-embed-text:latest\",type=\"output\"}"));

        const string chatLabels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"ollama\",gen_ai_request_model=\"llama3.2:latest\"";
        Assert.Equal(chatInput, MetricsScrape.Value(exposition, $"gen_ai_client_token_usage_sum{{{chatLabels},gen_ai_token_type=\"input\"}}"));
        Assert.Equal(2, MetricsScrape.Value(exposition, $"gen_ai_server_request_duration_seconds_count{{{chatLabels}}}"));
        Assert.Equal(1, MetricsScrape.Value(exposition, $"gen_ai_server_time_to_first_token_seconds_count{{{chatLabels}}}"));
        Assert.Equal(1, MetricsScrape.Value(exposition, "gen_ai_server_request_duration_seconds_count{gen_ai_operation_name=\"embeddings\",gen_ai_provider_name=\"ollama\",gen_ai_request_model=\"nomic-embed-text:latest\"}"));
    }

    [Fact]
    public async Task Exposition_AfterAllKindsOfRequests_PassesPromtoolCheckMetrics()
    {
        using var alice = _host.CreateClient(AliceKey);
        using var anonymous = _host.CreateClient(null);
        (await alice.PostAsync("v1/chat/completions", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""))).Dispose();
        (await alice.PostAsync("v1/chat/completions", Json("""{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}"""))).Dispose();
        (await alice.PostAsync("api/pull", Json("""{"model":"llama3.2"}"""))).Dispose();
        (await alice.GetAsync("api/nothing"))?.Dispose();
        (await anonymous.GetAsync("api/tags")).Dispose();
        (await alice.GetAsync("healthz")).Dispose();

        var exposition = await MetricsScrape.WaitForAsync(_host.BaseAddress, AdminKey, text =>
            MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"-\",route=\"/api/tags\",status=\"401\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/api/pull\",status=\"403\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/chat/completions\",status=\"200\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/chat/completions\",status=\"404\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"unknown\",status=\"404\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"-\",route=\"/healthz\",status=\"200\"}") == 1);
        var check = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(check.ExitCode == 0, $"promtool check metrics exited {check.ExitCode}:\n{check.Output}\n{exposition}");
        Assert.Equal(1, MetricsScrape.Value(exposition, "ollama_gateway_refusals_total{key=\"-\",reason=\"missing_key\"}"));
        Assert.Equal(1, MetricsScrape.Value(exposition, "ollama_gateway_refusals_total{key=\"alice\",reason=\"forbidden\"}"));
        Assert.Equal(1, MetricsScrape.Value(exposition, "ollama_gateway_refusals_total{key=\"alice\",reason=\"route_not_found\"}"));

        // The model Ollama does not have is no label; Ollama's 404 for it is the client's problem, not an upstream error.
        Assert.DoesNotContain("no-such-model", exposition, StringComparison.Ordinal);
        Assert.DoesNotContain("ollama_gateway_upstream_errors_total{", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenStreams_CountStreamsInProgress_NativeAndTranslated()
    {
        _host.Emulator.Options.StallAfterLines = 1;
        using var alice = _host.CreateClient(AliceKey);
        using var native = await StartStreamAsync(alice, "api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""");
        using var translated = await StartStreamAsync(alice, "v1/chat/completions", """{"model":"llama3.2","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        var during = await MetricsScrape.GetAsync(_host.BaseAddress, ScraperKey);
        Assert.Equal(2, MetricsScrape.Value(during, "ollama_gateway_open_streams"));

        native.Dispose();
        translated.Dispose();
        await MetricsScrape.WaitForAsync(_host.BaseAddress, ScraperKey, text => MetricsScrape.Value(text, "ollama_gateway_open_streams") == 0);
    }

    [Fact]
    public async Task BrokenStream_IsAnUpstreamError()
    {
        // Lines a little apart, so the first ones reach the gateway before the connection drops.
        _host.Emulator.Options.ChunkCount = 10;
        _host.Emulator.Options.TokenDelay = TimeSpan.FromMilliseconds(50);
        _host.Emulator.Options.DropAfterLines = 3;
        using var alice = _host.CreateClient(AliceKey);

        using var response = await alice.PostAsync("api/chat", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));
        await response.Content.ReadAsStringAsync();

        var exposition = await MetricsScrape.WaitForAsync(_host.BaseAddress, ScraperKey, text =>
            MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/api/chat\",status=\"200\"}") == 1);
        Assert.Equal(1, MetricsScrape.Value(exposition, "ollama_gateway_upstream_errors_total{reason=\"stream_broken\",upstream=\"default\"}"));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    // Sends a streamed request and returns once its first bytes have arrived: the stream is open at the gateway.
    private static async Task<HttpResponseMessage> StartStreamAsync(HttpClient client, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync();
        var first = new byte[1];
        Assert.Equal(1, await stream.ReadAsync(first));
        return response;
    }

    // Replays every body the gateway sent to `path` straight to the emulator and adds up its own counts.
    private async Task<(long Input, long Output)> EmulatorCountsAsync(string path)
    {
        using var emulator = new HttpClient { BaseAddress = _host.Emulator.BaseAddress };
        long input = 0, output = 0;
        foreach (var sent in _host.Emulator.Requests.Where(request => request.Path == path).ToArray())
        {
            using var response = await emulator.PostAsync(path, new ByteArrayContent(sent.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
            response.EnsureSuccessStatusCode();
            var final = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            var counts = JsonDocument.Parse(final).RootElement;
            input += counts.TryGetProperty("prompt_eval_count", out var prompt) ? prompt.GetInt64() : 0;
            output += counts.TryGetProperty("eval_count", out var eval) ? eval.GetInt64() : 0;
        }

        return (input, output);
    }
}
