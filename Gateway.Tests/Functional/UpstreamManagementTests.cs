using System.Net;
using System.Text.Json;
using OllamaGateway.Tests.Common;
using static OllamaGateway.Tests.Common.UpstreamRequests;

namespace OllamaGateway.Tests.Functional;

/// <summary>With several servers, model management (admin keys only) names the server it acts on.</summary>
public sealed class UpstreamManagementTests
{
    [Fact]
    public async Task Management_WithoutTheHeader_Is400NamingIt_WithIt_ActsOnThatServerOnly()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var admin = host.CreateClient(UpstreamsTestHost.AdminKey);

        using var unnamed = await admin.PostAsync("api/pull", Body("""{"model":"mistral","stream":false}"""));
        var message = JsonDocument.Parse(await unnamed.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/pull") { Content = Body("""{"model":"mistral","stream":false}""") };
        request.Headers.Add("X-Ollama-Upstream", "b");
        using var pulled = await admin.SendAsync(request);
        await host.Monitor.RefreshAsync(host.Upstreams.Find("b")!);
        using var chat = await admin.PostAsync("api/chat", Body(Chat("mistral")));

        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Contains("X-Ollama-Upstream", message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal((0, 1), (host.Count("a", "/api/pull"), host.Count("b", "/api/pull")));
        Assert.DoesNotContain(host["b"].Requests.Single(r => r.Path == "/api/pull").Headers.Keys, name => name.Equals("X-Ollama-Upstream", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(1, host.Count("b", "/api/chat"));
    }

    [Fact]
    public async Task DeleteAndCopy_NameTheirServer_AndShowFindsTheModelWhereItIs()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var admin = host.CreateClient(UpstreamsTestHost.AdminKey);

        using var copy = new HttpRequestMessage(HttpMethod.Post, "api/copy") { Content = Body("""{"source":"llama3.2","destination":"llama-copy"}""") };
        copy.Headers.Add("X-Ollama-Upstream", "a");
        using var copied = await admin.SendAsync(copy);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "api/delete") { Content = Body("""{"model":"qwen3"}""") };
        using var unnamedDelete = await admin.SendAsync(delete);
        using var show = await admin.PostAsync("api/show", Body("""{"model":"qwen3"}"""));

        Assert.Equal(HttpStatusCode.OK, copied.StatusCode);
        Assert.Equal(1, host.Count("a", "/api/copy"));
        Assert.Equal(HttpStatusCode.BadRequest, unnamedDelete.StatusCode);
        Assert.Equal(0, host.Count("a", "/api/delete") + host.Count("b", "/api/delete"));
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
        Assert.Equal((0, 1), (host.Count("a", "/api/show"), host.Count("b", "/api/show")));
    }

    [Fact]
    public async Task Management_ByAKeyThatIsNotAdmin_Is403_HeaderOrNot()
    {
        await using var host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest"]), new UpstreamSpec("b", ["qwen3:latest"]));
        using var user = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/pull") { Content = Body("""{"model":"mistral"}""") };
        request.Headers.Add("X-Ollama-Upstream", "a");

        using var named = await user.SendAsync(request);
        using var unnamed = await user.PostAsync("api/pull", Body("""{"model":"mistral"}"""));

        Assert.Equal(HttpStatusCode.Forbidden, named.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unnamed.StatusCode);
        Assert.Equal(0, host.Count("a", "/api/pull") + host.Count("b", "/api/pull"));
    }
}
