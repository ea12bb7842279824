using System.Text.Json.Nodes;
using OllamaGateway.Emulator;
using OllamaGateway.Functions;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// <c>/v1/messages</c>, <c>/v1/messages/count_tokens</c> and <c>/v1/responses</c> under Functions: the catch-all hands them to
/// the same pipeline, which routes by path, and the answers are the server's.
/// </summary>
public sealed class AgentRouteInvocationTests : IAsyncLifetime
{
    private GatewayTestHost _server = null!;
    private FunctionsHarness _functions = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayTestHost.StartAsync(new EmulatorOptions());
        _functions = await FunctionsHarness.StartAsync(_server.Emulator.BaseAddress.ToString(), _server.KeysFile);
    }

    public async Task DisposeAsync()
    {
        await _functions.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("/v1/messages", GatewayTestHost.Key, """{"model":"llama3.2","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages", GatewayTestHost.Key, """{"model":"nope","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages", null, """{"model":"llama3.2","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages", GatewayTestHost.Key, """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages/count_tokens", GatewayTestHost.Key, """{"model":"llama3.2","messages":[{"role":"user","content":"hello there"}]}""")]
    [InlineData("/v1/responses", GatewayTestHost.Key, """{"model":"llama3.2","input":"hi","instructions":"Be brief."}""")]
    [InlineData("/v1/responses", GatewayTestHost.Key, """{"model":"llama3.2","input":"hi","previous_response_id":"resp_1"}""")]
    public async Task AgentRoutes_AnswerThroughTheCatchAllAsTheServerDoes(string path, string? key, string body)
    {
        var context = FunctionsHarness.CreateContext("POST", path, key, body);
        await new OllamaPassthrough(_functions.Pipeline).Run(context.Request, CancellationToken.None);

        using var client = _server.CreateClient(key);
        using var server = await client.PostAsync(path.TrimStart('/'), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((int)server.StatusCode, context.Response.StatusCode);
        Assert.Equal(Stable(await server.Content.ReadAsStringAsync()), Stable(FunctionsHarness.ResponseText(context)));
    }

    // Ids and times differ per answer; everything else must be the same.
    private static string Stable(string json)
    {
        var node = JsonNode.Parse(json)!;
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("id");
                obj.Remove("created_at");
                foreach (var (_, child) in obj.ToList())
                {
                    Strip(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strip(child);
                }

                break;
        }
    }
}
