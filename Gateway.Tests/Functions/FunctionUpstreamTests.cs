using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OllamaGateway.Emulator;
using OllamaGateway.Forwarding;
using OllamaGateway.Functions;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// The same routing through the Functions worker, where no ASP.NET Core middleware runs: several servers configured by
/// app settings, requests routed by model, failover, merged lists, and the request record naming the server that answered.
/// </summary>
public sealed class FunctionUpstreamTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private OllamaEmulator _a = null!;
    private OllamaEmulator _b = null!;
    private FunctionsHarness _functions = null!;

    public async Task InitializeAsync()
    {
        _a = await OllamaEmulator.StartAsync(new EmulatorOptions { Models = [UpstreamsTestHost.Model("llama3.2:latest"), UpstreamsTestHost.Model("qwen3:latest")] });
        _b = await OllamaEmulator.StartAsync(new EmulatorOptions { Models = [UpstreamsTestHost.Model("llama3.2:latest"), UpstreamsTestHost.Model("nomic-embed-text:latest")] });
        File.WriteAllText(_directory.PathOf("keys.json"), $$"""{"keys": ["{{GatewayTestHost.Key}}"]}""");
        _functions = await FunctionsHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:KeysFile"] = _directory.PathOf("keys.json"),
            ["Gateway:Upstreams:0:Name"] = "a",
            ["Gateway:Upstreams:0:Url"] = _a.BaseAddress.ToString(),
            ["Gateway:Upstreams:0:Weight"] = "2",
            ["Gateway:Upstreams:1:Name"] = "b",
            ["Gateway:Upstreams:1:Url"] = _b.BaseAddress.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _functions.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Functions_RouteByModel_AndMergeLists()
    {
        var qwen = await RunAsync(new OllamaPassthrough(_functions.Pipeline).Run, "POST", "/api/chat", """{"model":"qwen3","messages":[{"role":"user","content":"hi"}],"stream":false}""");
        var embed = await RunAsync(new Embeddings(_functions.Pipeline).Run, "POST", "/v1/embeddings", """{"model":"nomic-embed-text","input":"hi"}""");
        var models = await RunAsync(new Models(_functions.Pipeline).Run, "GET", "/v1/models", null);

        Assert.Equal((200, "a"), (qwen.Response.StatusCode, qwen.Features.Get<RequestRecord>()!.Upstream));
        Assert.Equal((200, "b"), (embed.Response.StatusCode, embed.Features.Get<RequestRecord>()!.Upstream));
        Assert.Equal(["llama3.2:latest", "nomic-embed-text:latest", "qwen3:latest"],
            JsonDocument.Parse(FunctionsHarness.ResponseText(models)).RootElement.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()).Order());
    }

    [Fact]
    public async Task Functions_FailOver_AndTheRecordShowsTheRetry()
    {
        await _a.StopAsync();

        var native = await RunAsync(new OllamaPassthrough(_functions.Pipeline).Run, "POST", "/api/generate", """{"model":"llama3.2","prompt":"hi","stream":false}""");
        var qwen = await RunAsync(new ChatCompletions(_functions.Pipeline).Run, "POST", "/v1/chat/completions", """{"model":"qwen3","messages":[{"role":"user","content":"hi"}]}""");

        var record = native.Features.Get<RequestRecord>()!;
        Assert.Equal(200, native.Response.StatusCode);
        Assert.Equal(("b", "a"), (record.Upstream, record.RetriedFrom));
        Assert.Equal(503, qwen.Response.StatusCode);
        Assert.True(qwen.Response.Headers.ContainsKey("Retry-After"));
        Assert.False(_functions.Services.GetRequiredService<UpstreamSet>().Find("a")!.IsHealthy);
    }

    private static async Task<HttpContext> RunAsync(Func<HttpRequest, CancellationToken, Task> function, string method, string path, string? body)
    {
        var context = FunctionsHarness.CreateContext(method, path, GatewayTestHost.Key, body);
        await function(context.Request, CancellationToken.None);
        return context;
    }
}
