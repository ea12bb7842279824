using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class PassthroughTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task NativeStream_ReachesTheClientBeforeOllamaHasFinished()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(300), ChunkCount = 8 });
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""") };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.False(JsonDocument.Parse(first!).RootElement.GetProperty("done").GetBoolean());
        var upstream = Assert.Single(host.Emulator.Requests);
        Assert.False(upstream.Completed.IsCompleted, "the first line should arrive while Ollama is still generating");
        var rest = await reader.ReadToEndAsync();
        // Seven more token lines and the done line, each on its own line.
        Assert.Equal(8, rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task NativeBodiesAndStatuses_ComeBackUnchanged()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        using var direct = new HttpClient { BaseAddress = host.Emulator.BaseAddress };
        const string body = """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}],"stream":false}""";

        using var viaGateway = await client.PostAsync("api/chat", Json(body));
        using var fromOllama = await direct.PostAsync("api/chat", Json(body));

        Assert.Equal(HttpStatusCode.NotFound, viaGateway.StatusCode);
        Assert.Equal(await fromOllama.Content.ReadAsStringAsync(), await viaGateway.Content.ReadAsStringAsync());
        Assert.Equal(fromOllama.Content.Headers.ContentType, viaGateway.Content.Headers.ContentType);
    }

    [Fact]
    public async Task RequestBody_ReachesOllamaRewrittenWithItsValuesIntactAndCapsApplied()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        const string body = """{"model":"llama3.2",   "prompt":"héllo 🦙", "stream":false, "options":{"seed":12345678901234567890, "temperature":0.25}}""";

        using var response = await client.PostAsync("api/generate", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Emulator.Requests);
        var text = Encoding.UTF8.GetString(sent.Body);
        Assert.DoesNotContain("   ", text);
        Assert.Contains("12345678901234567890", text);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("llama3.2", json.GetProperty("model").GetString());
        Assert.Equal("héllo 🦙", json.GetProperty("prompt").GetString());
        Assert.Equal(0.25, json.GetProperty("options").GetProperty("temperature").GetDouble());
        Assert.Equal(8192, json.GetProperty("options").GetProperty("num_predict").GetInt32());
    }

    [Fact]
    public async Task CheckedBody_ReachesOllamaWithMatchingFramingAndOnlyListedHeaders()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        // Larger than HttpClient's write buffer, so the body is not sent together with the headers.
        var prompt = new string('x', 100_000) + " é";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/generate")
        {
            Content = Json($$"""{"model":"llama3.2","prompt":"{{prompt}}","stream":false}"""),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", "ollama-python/0.4");
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        request.Headers.TryAddWithoutValidation("X-Custom", "never");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Emulator.Requests);
        Assert.Equal(prompt, JsonDocument.Parse(sent.Body).RootElement.GetProperty("prompt").GetString());
        Assert.Equal(sent.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Headers["Content-Length"]);
        Assert.StartsWith("application/json", sent.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("ollama-python/0.4", sent.Headers["User-Agent"]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", sent.Headers["traceparent"]);
        Assert.False(sent.Headers.ContainsKey("X-Custom"));
        Assert.False(sent.Headers.ContainsKey("Transfer-Encoding"));
    }

    [Fact]
    public async Task HeadAndRoot_PassThrough()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();

        using var root = await client.GetAsync("/");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal("Ollama is running", await root.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task ClientDisconnectMidStream_CancelsTheUpstreamRequest()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(200), ChunkCount = 500 });
        using var client = host.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""") };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        await stream.ReadExactlyAsync(new byte[1]);

        response.Dispose();

        var upstream = Assert.Single(host.Emulator.Requests);
        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(upstream.WasAborted);
    }

    [Fact]
    public async Task OllamaUnreachable_Returns502InOllamaShape()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys":["{{GatewayTestHost.Key}}"]}""");
        await using var app = GatewayTestHost.BuildServer("http://127.0.0.1:1", directory.PathOf("keys.json"));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", GatewayTestHost.Key);

        using var response = await client.GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Ollama is not reachable.", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        await app.StopAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NativeStreamThatStallsOrDrops_EndsWithAnOllamaErrorLine(bool stall)
    {
        var options = stall ? new EmulatorOptions { StallAfterLines = 3, ChunkCount = 10 } : new EmulatorOptions { DropAfterLines = 3, ChunkCount = 10, TokenDelay = TimeSpan.FromMilliseconds(50) };
        await using var host = await GatewayTestHost.StartAsync(options, extraArgs: "--Gateway:UpstreamIdleTimeout=00:00:00.500");
        using var client = host.CreateClient();

        using var response = await client.PostAsync("api/chat", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, lines.Length);
        Assert.All(lines[..3], line => Assert.False(JsonDocument.Parse(line).RootElement.GetProperty("done").GetBoolean()));
        Assert.Contains(stall ? "idle timeout" : "connection to Ollama was lost", JsonDocument.Parse(lines[^1]).RootElement.GetProperty("error").GetString());
        var upstream = Assert.Single(host.Emulator.Requests);
        await upstream.Completed.WaitAsync(TimeSpan.FromSeconds(5));
        if (stall)
        {
            Assert.True(upstream.WasAborted);
        }
    }

    [Fact]
    public async Task LongNativeStream_OutlivesTheFirstByteTimeout()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(200), ChunkCount = 12 }, extraArgs: ["--Gateway:UpstreamFirstByteTimeout=00:00:01", "--Gateway:UpstreamIdleTimeout=00:00:01"]);
        using var client = host.CreateClient();

        using var response = await client.PostAsync("api/chat", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(JsonDocument.Parse(lines[^1]).RootElement.GetProperty("done").GetBoolean());
        Assert.Equal(13, lines.Length);
    }

    [Fact]
    public async Task OllamaQueueFull_Returns503WithRetryAfterOnNativeRoutes()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        host.Emulator.FailNextRequests(1);

        using var response = await client.GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task TranslatedAnswerOverTheCap_Returns502()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:MaxTranslatedResponseBytes=64");
        using var client = host.CreateClient();

        using var response = await client.PostAsync("v1/chat/completions", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("MaxTranslatedResponseBytes", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
