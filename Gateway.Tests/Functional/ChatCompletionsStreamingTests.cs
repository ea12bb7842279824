using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>The SSE stream on the wire: framing, flushing as Ollama produces, errors mid-stream, disconnects.</summary>
public sealed class ChatCompletionsStreamingTests
{
    private const string StreamRequest = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""";

    private static async Task<HttpResponseMessage> PostStreamAsync(HttpClient client, string body = StreamRequest) =>
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead);

    [Fact]
    public async Task Stream_IsSseFramedAndEndsWithUsageAndDone()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.True(usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_FirstChunkArrivesWhileOllamaIsStillGenerating()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(300), ChunkCount = 8 });
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();

        Assert.StartsWith("data: {", first);
        Assert.False(Assert.Single(host.Emulator.Requests).Completed.IsCompleted);
    }

    [Fact]
    public async Task OllamaErrorMidStream_BecomesAnErrorEventAndTheStreamEnds()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { MidStreamErrorAfterLines = 2, MidStreamErrorMessage = "runner crashed" });
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var last = JsonDocument.Parse(events[^1]["data: ".Length..]).RootElement;
        Assert.Equal("runner crashed", last.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain("data: [DONE]", events);
        Assert.DoesNotContain(events, e => e.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErrorBeforeTheStream_IsPlainJsonWithTheRealStatus()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client, """{"model":"missing","messages":[{"role":"user","content":"hi"}],"stream":true}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("missing", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClientDisconnect_CancelsTheUpstreamRequest(bool stream)
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(200), ChunkCount = 500 });
        using var client = host.CreateClient();
        using var cancellation = new CancellationTokenSource();
        var body = $$"""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":{{(stream ? "true" : "false")}}}""";

        var sending = client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        var upstream = await host.Emulator.WaitForRequestAsync(r => r.Path == "/api/chat", TimeSpan.FromSeconds(10));
        cancellation.Cancel();
        try
        {
            // A streamed answer may already have its headers; then dropping the response is the disconnect.
            (await sending).Dispose();
        }
        catch (OperationCanceledException)
        {
            // The non-streamed answer had not started: the cancelled send is the disconnect.
        }

        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(upstream.WasAborted);
    }

    [Fact]
    public async Task InvalidJson_Returns400InOpenAIShape()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        Assert.Empty(host.Emulator.Requests);
    }

    [Fact]
    public async Task OversizedBody_Returns413BeforeOllamaIsContacted()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:MaxRequestBodyBytes=1024");
        using var client = host.CreateClient();
        var big = $$"""{"model":"llama3.2","messages":[{"role":"user","content":"{{new string('x', 4096)}}"}]}""";

        using var response = await PostStreamAsync(client, big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Emulator.Requests);
    }

    [Fact]
    public async Task OllamaQueueFull_Returns503WithRetryAfter()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        host.Emulator.FailNextRequests(1);

        using var response = await PostStreamAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("api_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task OllamaInternalError_SaysNotToRetryAndShowsDetailsToAdminsOnly()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": ["sk-user-0123456789", {"name": "admin", "key": "sk-admin-0123456789", "admin": true}]}""");
        const string internals = "open /home/ollama/.ollama/models/blobs/sha256-x: permission denied";

        foreach (var (key, showsDetails) in new[] { ("sk-user-0123456789", false), ("sk-admin-0123456789", true) })
        {
            using var client = host.CreateClient(key);
            host.Emulator.FailNextRequests(1, 500, internals);
            using var openAI = await PostStreamAsync(client);
            host.Emulator.FailNextRequests(1, 500, internals);
            using var native = await client.PostAsync("api/chat", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.InternalServerError, openAI.StatusCode);
            Assert.Equal("false", openAI.Headers.GetValues("x-should-retry").Single());
            Assert.Equal(HttpStatusCode.InternalServerError, native.StatusCode);
            Assert.Equal(showsDetails, JsonDocument.Parse(await openAI.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!.Contains(internals, StringComparison.Ordinal));
            Assert.Equal(showsDetails, JsonDocument.Parse(await native.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!.Contains(internals, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task OllamaSilentPastTheActivityTimeout_Returns504()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromSeconds(5) }, extraArgs: "--Gateway:UpstreamFirstByteTimeout=00:00:00.500");
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("api_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task SseStreamThatStalls_EndsWithAnErrorEventAndCancelsOllama()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { StallAfterLines = 3, ChunkCount = 10 }, extraArgs: "--Gateway:UpstreamIdleTimeout=00:00:00.500");
        using var client = host.CreateClient();

        using var response = await PostStreamAsync(client);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("idle timeout", JsonDocument.Parse(events[^1]["data: ".Length..]).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain("data: [DONE]", events);
        var upstream = Assert.Single(host.Emulator.Requests);
        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
