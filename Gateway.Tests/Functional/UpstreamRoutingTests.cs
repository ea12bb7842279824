using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;
using static OllamaGateway.Tests.Common.UpstreamRequests;
using OllamaSharp;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// Several Ollama servers behind one gateway: each request goes to a server that has its model, preferring one where it
/// is loaded, then the fewest requests in flight relative to weight; the request never names a server.
/// </summary>
public sealed class UpstreamRoutingTests
{
    private static OpenAIClientOptions OpenAIOptions(UpstreamsTestHost host) =>
        new() { Endpoint = new Uri(host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) };

    [Fact]
    public async Task EachRequest_GoesToTheServerThatHasItsModel_NativeAndTranslated()
    {
        await using var host = await UpstreamsTestHost.StartAsync(
            new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]), new UpstreamSpec("c", ["nomic-embed-text:latest"]));
        using var client = host.CreateClient();

        using (var native = await client.PostAsync("api/chat", Body(Chat("qwen3"))))
        {
            Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        }

        var ollama = new OllamaApiClient(client, "llama3.2");
        await foreach (var _ in ollama.GenerateAsync("hello"))
        {
        }

        ChatCompletion completion = await new ChatClient("llama3.2", new ApiKeyCredential(UpstreamsTestHost.Key), OpenAIOptions(host)).CompleteChatAsync([new UserChatMessage("hi")]);
        OpenAIEmbeddingCollection embeddings = await new EmbeddingClient("nomic-embed-text", new ApiKeyCredential(UpstreamsTestHost.Key), OpenAIOptions(host)).GenerateEmbeddingsAsync(["a text"]);
        using var show = await client.PostAsync("api/show", Body("""{"model":"qwen3"}"""));

        Assert.NotEmpty(completion.Content[0].Text);
        Assert.Single(embeddings);
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
        // qwen3's native chat went to b, the SDK's llama3.2 chat to a.
        Assert.Equal((1, 1, 0), (host.Count("a", "/api/chat"), host.Count("b", "/api/chat"), host.Count("c", "/api/chat")));
        Assert.Equal((1, 0, 0), (host.Count("a", "/api/generate"), host.Count("b", "/api/generate"), host.Count("c", "/api/generate")));
        Assert.Equal(1, host.Count("c", "/api/embed"));
        Assert.Equal((0, 1, 0), (host.Count("a", "/api/show"), host.Count("b", "/api/show"), host.Count("c", "/api/show")));
    }

    [Fact]
    public async Task ModelNoServerHas_Is404InTheApisShape_AndNoServerIsAsked()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var client = host.CreateClient();

        using var native = await client.PostAsync("api/chat", Body(Chat("mistral")));
        using var openai = await client.PostAsync("v1/chat/completions", Body("""{"model":"mistral","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.NotFound, native.StatusCode);
        Assert.Equal("model 'mistral' not found", JsonDocument.Parse(await native.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, openai.StatusCode);
        var error = JsonDocument.Parse(await openai.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal(0, host.Count("a", "/api/chat") + host.Count("b", "/api/chat"));
    }

    [Fact]
    public async Task ServerWhereTheModelIsLoaded_IsPreferred()
    {
        await using var host = await UpstreamsTestHost.StartAsync(
            new UpstreamSpec("a", ["llama3.2:latest", "qwen3:latest"]), new UpstreamSpec("b", ["llama3.2:latest", "qwen3:latest"]));
        host["b"].LoadModel("llama3.2");
        host["a"].LoadModel("qwen3");
        await host.Monitor.RefreshAllAsync();
        using var client = host.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var llama = await client.PostAsync("api/chat", Body(Chat("llama3.2")));
            using var qwen = await client.PostAsync("v1/chat/completions", Body("""{"model":"qwen3","messages":[{"role":"user","content":"hi"}]}"""));
            Assert.Equal(HttpStatusCode.OK, llama.StatusCode);
            Assert.Equal(HttpStatusCode.OK, qwen.StatusCode);
        }

        Assert.Equal(4, host["b"].Requests.Count(request => request.Path == "/api/chat" && Encoding.UTF8.GetString(request.Body).Contains("llama3.2", StringComparison.Ordinal)));
        Assert.Equal(4, host["a"].Requests.Count(request => request.Path == "/api/chat" && Encoding.UTF8.GetString(request.Body).Contains("qwen3", StringComparison.Ordinal)));
        Assert.Equal(8, host.Count("a", "/api/chat") + host.Count("b", "/api/chat"));
    }

    [Fact]
    public async Task Weights_ShareTheRequestsInFlight()
    {
        // b has three times a's capacity: of four requests open at once, b takes three.
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"], Weight: 1), new UpstreamSpec("b", ["llama3.2:latest"], Weight: 3));
        host["a"].Options.StallAfterLines = 1;
        host["b"].Options.StallAfterLines = 1;
        using var client = host.CreateClient();
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Body(Chat("llama3.2", stream: true)) };
                var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                open.Add(response);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal((1, 3), (host.Count("a", "/api/chat"), host.Count("b", "/api/chat")));
            Assert.Equal((1, 3), (host.Upstreams.Find("a")!.InFlight, host.Upstreams.Find("b")!.InFlight));
        }
        finally
        {
            open.ForEach(response => response.Dispose());
        }
    }

    [Fact]
    public async Task ModelsGlobs_KeepAServerForTheModelsItIsMeantFor()
    {
        // a has llama3.2 too but is kept for qwen3: llama3.2 always goes to b, and is listed once.
        await using var host = await UpstreamsTestHost.StartAsync(
            new UpstreamSpec("a", ["llama3.2:latest", "qwen3:latest"], ModelGlobs: ["qwen3*"]), new UpstreamSpec("b", ["llama3.2:latest"]));
        using var client = host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync("api/generate", Body("""{"model":"llama3.2","prompt":"hi","stream":false}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var qwen = await client.PostAsync("api/generate", Body("""{"model":"qwen3","prompt":"hi","stream":false}"""));
        using var tags = JsonDocument.Parse(await client.GetStringAsync("api/tags"));

        Assert.Equal(HttpStatusCode.OK, qwen.StatusCode);
        Assert.Equal((1, 3), (host.Count("a", "/api/generate"), host.Count("b", "/api/generate")));
        Assert.Equal(["llama3.2:latest", "qwen3:latest"], tags.RootElement.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task UpstreamHeader_IsReadByTheGatewayAndNeverForwarded()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["llama3.2:latest"]));
        using var client = host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Body(Chat("llama3.2")) };
            request.Headers.Add("X-Ollama-Upstream", "B");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var unknown = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Body(Chat("llama3.2")) };
        unknown.Headers.Add("X-Ollama-Upstream", "z");
        using var refused = await client.SendAsync(unknown);
        var message = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

        Assert.Equal((0, 3), (host.Count("a", "/api/chat"), host.Count("b", "/api/chat")));
        Assert.All(host["b"].Requests, request => Assert.DoesNotContain(request.Headers.Keys, name => name.Equals("X-Ollama-Upstream", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("X-Ollama-Upstream", message, StringComparison.Ordinal);
        Assert.Contains("a, b", message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", message, StringComparison.Ordinal);
    }
}
