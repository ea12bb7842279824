using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Emulator;
using OllamaGateway.Functions;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// Each function, called in-process as the worker calls it, gives the same answer as Gateway.Server gives
/// over a socket for the same request.
/// </summary>
public sealed class FunctionInvocationTests : IAsyncLifetime
{
    private GatewayTestHost _server = null!;
    private FunctionsHarness _functions = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(5) });
        _functions = await FunctionsHarness.StartAsync(_server.Emulator.BaseAddress.ToString(), _server.KeysFile);
    }

    public async Task DisposeAsync()
    {
        await _functions.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "/api/tags", GatewayTestHost.Key, null)]
    [InlineData("GET", "/api/version", GatewayTestHost.Key, null)]
    [InlineData("POST", "/api/show", GatewayTestHost.Key, "{\"model\":\"llama3.2\"}")]
    [InlineData("POST", "/api/chat", GatewayTestHost.Key, "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("GET", "/api/tags", null, null)]
    [InlineData("GET", "/api/tags", "sk-wrong", null)]
    [InlineData("POST", "/api/pull", GatewayTestHost.Key, "{\"model\":\"x\"}")]
    [InlineData("DELETE", "/api/delete", GatewayTestHost.Key, "{\"model\":\"x\"}")]
    [InlineData("GET", "/api/nothing", GatewayTestHost.Key, null)]
    [InlineData("GET", "/api/chat", GatewayTestHost.Key, null)]
    [InlineData("GET", "/healthz", null, null)]
    [InlineData("GET", "/v1/nothing", GatewayTestHost.Key, null)]
    public async Task Passthrough_AnswersAsTheServerDoes(string method, string path, string? key, string? body)
    {
        var context = FunctionsHarness.CreateContext(method, path, key, body);
        await new OllamaPassthrough(_functions.Pipeline).Run(context.Request, CancellationToken.None);

        using var server = await SendToServerAsync(method, path, key, body);

        Assert.Equal((int)server.StatusCode, context.Response.StatusCode);
        Assert.Equal(await server.Content.ReadAsStringAsync(), FunctionsHarness.ResponseText(context));
        Assert.Equal(server.Content.Headers.ContentType?.MediaType, MediaType(context.Response.ContentType));
        Assert.Equal(server.Headers.WwwAuthenticate.ToString(), context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Theory]
    [InlineData(nameof(ChatCompletions), "POST", "/v1/chat/completions", "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData(nameof(ChatCompletions), "POST", "/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData(nameof(ChatCompletions), "POST", "/v1/chat/completions", "{\"model\":\"llama3.2\",\"messages\":[]}")]
    [InlineData(nameof(Completions), "POST", "/v1/completions", "{\"model\":\"llama3.2\",\"prompt\":\"hi\"}")]
    [InlineData(nameof(Embeddings), "POST", "/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"]}")]
    [InlineData(nameof(Models), "GET", "/v1/models", null)]
    [InlineData(nameof(ModelById), "GET", "/v1/models/llama3.2", null)]
    [InlineData(nameof(ModelById), "GET", "/v1/models/nope", null)]
    public async Task OpenAIFunctions_AnswerAsTheServerDoes(string function, string method, string path, string? body)
    {
        var context = FunctionsHarness.CreateContext(method, path, GatewayTestHost.Key, body);
        Func<HttpRequest, CancellationToken, Task> run = function switch
        {
            nameof(ChatCompletions) => new ChatCompletions(_functions.Pipeline).Run,
            nameof(Completions) => new Completions(_functions.Pipeline).Run,
            nameof(Embeddings) => new Embeddings(_functions.Pipeline).Run,
            nameof(Models) => new Models(_functions.Pipeline).Run,
            _ => new ModelById(_functions.Pipeline).Run,
        };
        await run(context.Request, CancellationToken.None);

        using var server = await SendToServerAsync(method, path, GatewayTestHost.Key, body);

        Assert.Equal((int)server.StatusCode, context.Response.StatusCode);
        Assert.Equal(server.Content.Headers.ContentType?.MediaType, MediaType(context.Response.ContentType));
        Assert.Equal(WithoutVolatileFields(await server.Content.ReadAsStringAsync()), WithoutVolatileFields(FunctionsHarness.ResponseText(context)));
    }

    // Ids and timestamps differ per answer; everything else must be the same.
    private static string WithoutVolatileFields(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        if (node is System.Text.Json.Nodes.JsonObject root && root["object"]?.GetValue<string>() != "list")
        {
            root.Remove("id");
            root.Remove("created");
        }

        return node.ToJsonString();
    }

    [Fact]
    public async Task Passthrough_NeverForwardsCredentialsOrDeniedRoutes()
    {
        _server.Emulator.ClearRequests();
        var denied = FunctionsHarness.CreateContext("POST", "/api/create", GatewayTestHost.Key, "{}");
        await new OllamaPassthrough(_functions.Pipeline).Run(denied.Request, CancellationToken.None);
        var allowed = FunctionsHarness.CreateContext("GET", "/api/ps", GatewayTestHost.Key);
        allowed.Request.Headers["x-functions-key"] = "host-key";
        await new OllamaPassthrough(_functions.Pipeline).Run(allowed.Request, CancellationToken.None);

        var seen = Assert.Single(_server.Emulator.Requests);
        Assert.Equal("/api/ps", seen.Path);
        Assert.False(seen.Headers.ContainsKey("Authorization"));
        Assert.False(seen.Headers.ContainsKey("x-functions-key"));
        Assert.NotEqual("gateway.example:7071", seen.Headers["Host"]);
    }

    [Fact]
    public async Task FunctionCancellation_CancelsTheUpstreamStream()
    {
        _server.Emulator.Options.TokenDelay = TimeSpan.FromMilliseconds(200);
        _server.Emulator.Options.ChunkCount = 500;
        _server.Emulator.ClearRequests();
        using var cancellation = new CancellationTokenSource();
        var context = FunctionsHarness.CreateContext("POST", "/api/chat", GatewayTestHost.Key, "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        var run = new OllamaPassthrough(_functions.Pipeline).Run(context.Request, cancellation.Token);
        var upstream = await _server.Emulator.WaitForRequestAsync(r => r.Path == "/api/chat", TimeSpan.FromSeconds(10));
        cancellation.Cancel();
        await run;

        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(upstream.WasAborted);
    }

    private async Task<HttpResponseMessage> SendToServerAsync(string method, string path, string? key, string? body)
    {
        using var client = _server.CreateClient(key);
        var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static string? MediaType(string? contentType) => contentType is null ? null : MediaTypeHeaderValue.Parse(contentType).MediaType;
}
