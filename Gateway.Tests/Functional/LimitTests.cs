using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class LimitTests
{
    [Fact]
    public async Task RequestsPerMinute_Returns429WithRetryAfterInTheRoutesShape()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": [{"name": "slow", "key": "sk-slow-0123456789", "limits": {"requestsPerMinute": 2}}, "sk-free-0123456789"]}""");
        using var client = host.CreateClient("sk-slow-0123456789");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/version")).StatusCode);
        using var native = await client.GetAsync("api/version");
        using var openAI = await client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.TooManyRequests, native.StatusCode);
        Assert.True(native.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(await native.Content.ReadAsStringAsync()).RootElement.GetProperty("error").ValueKind);
        Assert.Equal(HttpStatusCode.TooManyRequests, openAI.StatusCode);
        Assert.Equal("rate_limit_error", JsonDocument.Parse(await openAI.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(2, host.Emulator.Requests.Count);

        using var other = host.CreateClient("sk-free-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task ConcurrentRequests_AboveTheLimitAreRefusedUntilOneEnds()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(100), ChunkCount = 20 }, """{"keys": [{"name": "one", "key": "sk-one-0123456789", "limits": {"concurrentRequests": 1}}]}""");
        using var client = host.CreateClient("sk-one-0123456789");
        var body = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""";

        var streaming = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead);
        using var refused = await client.GetAsync("api/version");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);

        await streaming.Content.ReadAsStringAsync();
        streaming.Dispose();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task RepeatedBadKeys_AreThrottledWithoutLockingOutValidKeys()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:FailedAuthPerMinute=3");
        using var bad = host.CreateClient("sk-guess");
        using var good = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await bad.GetAsync("api/version");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("api/version")).StatusCode);
    }
}
