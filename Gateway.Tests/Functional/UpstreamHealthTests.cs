using System.Net;
using System.Text.Json;
using OllamaGateway.Tests.Common;
using static OllamaGateway.Tests.Common.UpstreamRequests;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// Servers that go down and come back: their models answer 503 with Retry-After (or go to another server that has them),
/// other models are unaffected, and a server is used again once it answers.
/// </summary>
public sealed class UpstreamHealthTests
{
    [Fact]
    public async Task StoppedServer_ItsModelsAnswer503_OthersAreUnaffected_AndItIsUsedAgainAfterTheReactivationPeriod()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var client = host.CreateClient();
        await host["a"].StopAsync();

        using var refused = await client.PostAsync("api/chat", Body(Chat("llama3.2")));
        using var openai = await client.PostAsync("v1/chat/completions", Body("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));
        using var other = await client.PostAsync("api/chat", Body(Chat("qwen3")));
        using var ready = await client.GetAsync("readyz");
        var readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("llama3.2", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, openai.StatusCode);
        Assert.NotNull(openai.Headers.RetryAfter);
        var openaiError = JsonDocument.Parse(await openai.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("upstream_unavailable", openaiError.GetProperty("code").GetString());
        Assert.Contains("'llama3.2'", openaiError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("degraded", readiness.GetProperty("status").GetString());
        Assert.Equal([("a", false), ("b", true)], readiness.GetProperty("upstreams").EnumerateArray().Select(u => (u.GetProperty("name").GetString(), u.GetProperty("healthy").GetBoolean())));

        await host["a"].RestartAsync();
        host.Time.Advance(TimeSpan.FromSeconds(30));
        using var back = await client.PostAsync("api/chat", Body(Chat("llama3.2")));

        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(1, host.Count("a", "/api/chat"));
    }

    [Fact]
    public async Task StoppedServer_ItsModelMovesToAnotherServerThatHasIt()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"], Weight: 2), new UpstreamSpec("b", ["llama3.2:latest"]));
        using var client = host.CreateClient();
        await host["a"].StopAsync();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync("api/chat", Body(Chat("llama3.2")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, host.Count("b", "/api/chat"));
    }

    [Fact]
    public async Task FailedProbe_TakesAServerOutBeforeAnyRequestFails_AndASuccessfulOneBringsItBack()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var client = host.CreateClient();
        await host["a"].StopAsync();

        await host.Monitor.ProbeAllAsync();
        using var down = await client.PostAsync("api/generate", Body("""{"model":"llama3.2","prompt":"hi","stream":false}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), down.Headers.RetryAfter?.Delta);
        Assert.False(host.Upstreams.Find("a")!.IsHealthy);

        await host["a"].RestartAsync();
        await host.Monitor.ProbeAllAsync();
        using var up = await client.PostAsync("api/generate", Body("""{"model":"llama3.2","prompt":"hi","stream":false}"""));

        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task HeadRoot_AnswersWhileAnyServerIsUp_And503WhenNone()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var client = host.CreateClient();

        using var both = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        await host["a"].StopAsync();
        var oneDown = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
            oneDown.Add(response.StatusCode);
        }

        await host["b"].StopAsync();
        using var none = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        using var ready = await client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        Assert.All(oneDown, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
        Assert.NotNull(none.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Readiness_ReportsEachServer_WithoutItsAddress()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest", "qwen3:latest"]), new UpstreamSpec("b", ["llava:latest"], Weight: 2.5));
        host["a"].LoadModel("qwen3");
        await host.Monitor.RefreshAllAsync();
        using var client = host.CreateClient(key: null);

        using var response = await client.GetAsync("readyz");
        var text = await response.Content.ReadAsStringAsync();
        var upstreams = JsonDocument.Parse(text).RootElement.GetProperty("upstreams").EnumerateArray().ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a", upstreams[0].GetProperty("name").GetString());
        Assert.Equal((2, 1, 0, 1.0), (upstreams[0].GetProperty("models").GetInt32(), upstreams[0].GetProperty("loaded").GetInt32(), upstreams[0].GetProperty("in_flight").GetInt32(), upstreams[0].GetProperty("weight").GetDouble()));
        Assert.Equal((1, 0, 2.5), (upstreams[1].GetProperty("models").GetInt32(), upstreams[1].GetProperty("loaded").GetInt32(), upstreams[1].GetProperty("weight").GetDouble()));
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelNotFoundFromAServerBelievedToHaveIt_RereadsThatServersModels()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest", "qwen3:latest"]), new UpstreamSpec("b", ["llama3.2:latest"]));
        using var client = host.CreateClient();
        host["a"].Options.Models = [UpstreamsTestHost.Model("llama3.2:latest")];

        using var first = await client.PostAsync("api/chat", Body(Chat("qwen3")));
        await host.Monitor.RefreshAsync(host.Upstreams.Find("a")!);
        using var second = await client.PostAsync("api/chat", Body(Chat("qwen3")));

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(1, host.Count("a", "/api/chat"));
        Assert.DoesNotContain("qwen3", host.Upstreams.Find("a")!.Inventory.Models.Select(name => name.Split('/')[^1]).Select(name => name.Split(':')[0]));
    }
}
