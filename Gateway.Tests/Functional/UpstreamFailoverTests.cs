using System.Net;
using System.Text.Json;
using OllamaGateway.Tests.Common;
using static OllamaGateway.Tests.Common.UpstreamRequests;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// A request whose server fails before any byte went to the client is answered by another server that has the model,
/// once; a stream that breaks off after bytes were sent is not retried.
/// </summary>
public sealed class UpstreamFailoverTests
{
    // a is heavier, so with nothing in flight every request goes to a first.
    private static Task<UpstreamsTestHost> StartAsync() =>
        UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"], Weight: 2), new UpstreamSpec("b", ["llama3.2:latest"]));

    [Fact]
    public async Task RefusedConnection_TheOtherServerAnswers_NativeAndTranslated()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        await host["a"].StopAsync();

        using var native = await client.PostAsync("api/chat", Body(Chat("llama3.2")));
        host.Time.Advance(TimeSpan.FromSeconds(30));
        using var openai = await client.PostAsync("v1/chat/completions", Body("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        Assert.True(JsonDocument.Parse(await native.Content.ReadAsStringAsync()).RootElement.GetProperty("done").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
        Assert.Equal("chat.completion", JsonDocument.Parse(await openai.Content.ReadAsStringAsync()).RootElement.GetProperty("object").GetString());
        Assert.Equal(2, host.Count("b", "/api/chat"));
    }

    [Fact]
    public async Task Busy503BeforeTheBody_TheOtherServerAnswers_NativeAndTranslated()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();

        host["a"].FailNextRequests(1);
        using var native = await client.PostAsync("api/generate", Body("""{"model":"llama3.2","prompt":"hi","stream":false}"""));

        // b answered, so b has the model loaded now and is asked first; it is the busy one this time.
        host["b"].FailNextRequests(1);
        using var openai = await client.PostAsync("v1/completions", Body("""{"model":"llama3.2","prompt":"hi"}"""));

        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        Assert.Null(native.Headers.RetryAfter);
        Assert.True(JsonDocument.Parse(await native.Content.ReadAsStringAsync()).RootElement.GetProperty("done").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
        Assert.Equal("text_completion", JsonDocument.Parse(await openai.Content.ReadAsStringAsync()).RootElement.GetProperty("object").GetString());
        var (a, b) = (await StatusesAsync(host["a"]), await StatusesAsync(host["b"]));
        Assert.Equal(new[] { 503, 200 }, a);
        Assert.Equal(new[] { 200, 503 }, b);
        Assert.True(host.Upstreams.Find("a")!.IsHealthy, "a busy server is not a server that is down");
    }

    [Fact]
    public async Task Busy503_WithNoOtherServerForTheModel_IsPassedOnWithRetryAfter()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var client = host.CreateClient();
        host["a"].FailNextRequests(1);

        using var response = await client.PostAsync("api/chat", Body(Chat("llama3.2")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(0, host.Count("b", "/api/chat"));
    }

    [Fact]
    public async Task StreamDroppedAfterTheFirstBytes_IsTheDocumentedStreamError_AndIsNotRetried()
    {
        await using var host = await StartAsync();
        // The lines are apart, so the first ones reach the gateway (and the client) before the connection drops.
        host["a"].Options.DropAfterLines = 2;
        host["a"].Options.TokenDelay = TimeSpan.FromMilliseconds(50);
        using var client = host.CreateClient();

        using var native = await client.PostAsync("api/chat", Body(Chat("llama3.2", stream: true)));
        var lines = (await native.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var openai = await client.PostAsync("v1/chat/completions", Body("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":true}"""));
        var events = await openai.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        Assert.Equal("The connection to Ollama was lost.", JsonDocument.Parse(lines[^1]).RootElement.GetProperty("error").GetString());
        Assert.Contains("\"error\"", events, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events, StringComparison.Ordinal);
        Assert.Equal(0, host.Count("b", "/api/chat"));
    }

    private static async Task<int[]> StatusesAsync(OllamaGateway.Emulator.OllamaEmulator emulator)
    {
        var requests = emulator.Requests.Where(request => request.Path == "/api/generate").ToArray();
        foreach (var request in requests)
        {
            await request.Completed;
        }

        return [.. requests.Select(request => request.StatusCode)];
    }
}
