using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>Native request bodies are validated, not trusted: what Ollama parses is what policy checked.</summary>
public sealed class NativeGuardTests : IAsyncLifetime
{
    private const string Admin = "sk-admin-0123456789";
    private const string Llama = "sk-llama-only-0123456789";

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(keysJson: $$"""
        {"keys": [{"name": "admin", "key": "{{Admin}}", "admin": true}, {"name": "llama", "key": "{{Llama}}", "models": ["llama3.2"]}]}
        """);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string key, string path, string body)
    {
        using var client = _host.CreateClient(key);
        return await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
    }

    [Theory]
    [InlineData("""{"model":"llama3.2","MODEL":"qwen3","messages":[]}""")]
    [InlineData("""{"model":"llama3.2","model":"qwen3","messages":[]}""")]
    [InlineData("""{"Model":"qwen3","messages":[{"role":"user","content":"hi"}]}""")]
    public async Task DuplicateOrCaseVariantKeys_AreRefusedBeforeOllama(string body)
    {
        using var response = await PostAsync(Llama, "api/chat", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").ValueKind);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("api/chat", """{"model":"qwen3","messages":[{"role":"user","content":"hi"}],"stream":false}""")]
    [InlineData("api/generate", """{"model":"qwen3:latest","prompt":"hi","stream":false}""")]
    [InlineData("api/embed", """{"model":"nomic-embed-text","input":"hi"}""")]
    [InlineData("api/embeddings", """{"model":"nomic-embed-text","prompt":"hi"}""")]
    [InlineData("api/show", """{"model":"qwen3"}""")]
    public async Task OtherModels_AreForbiddenOnEveryNativeRoute(string path, string body)
    {
        using var response = await PostAsync(Llama, path, body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task AllowedModel_IsForwardedWithCapsApplied()
    {
        using var response = await PostAsync(Llama, "api/chat", """{"model":"LLAMA3.2:latest","messages":[{"role":"user","content":"hi"}],"stream":false,"keep_alive":-1,"options":{"num_predict":-1,"num_ctx":1000000}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = JsonDocument.Parse(Assert.Single(_host.Emulator.Requests).Body).RootElement;
        Assert.Equal(8192, sent.GetProperty("options").GetProperty("num_predict").GetInt32());
        Assert.Equal(32768, sent.GetProperty("options").GetProperty("num_ctx").GetInt32());
        Assert.NotEqual(JsonValueKind.Undefined, sent.GetProperty("keep_alive").ValueKind);
        Assert.NotEqual("-1", sent.GetProperty("keep_alive").ToString());
    }

    [Theory]
    [InlineData("""{"model":"evil.example.com/x/model"}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"model":"llama3.2","insecure":true}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"model":"http://evil.example.com/x/model"}""", HttpStatusCode.Forbidden)]
    public async Task PullFromOtherRegistries_IsRefusedEvenForAdmins(string body, HttpStatusCode status)
    {
        using var response = await PostAsync(Admin, "api/pull", body);

        Assert.Equal(status, response.StatusCode);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task PullFromOtherRegistries_WorksWhenTheOperatorAllowsIt()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: $$"""{"keys": [{"name": "admin", "key": "{{Admin}}", "admin": true}]}""", extraArgs: ["--Gateway:AllowedRegistries:0=registry.ollama.ai", "--Gateway:AllowedRegistries:1=models.example.com"]);
        using var client = host.CreateClient(Admin);

        using var response = await client.PostAsync("api/pull", new StringContent("""{"model":"models.example.com/team/model:v1","stream":false}""", Encoding.UTF8, "application/json"));

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("/api/pull", Assert.Single(host.Emulator.Requests).Path);
    }

    [Fact]
    public async Task ConnectionChangingFields_AreRefused()
    {
        using var response = await PostAsync(Admin, "api/create", """{"model":"x","from":"llama3.2","remote_host":"http://169.254.169.254"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task CopyToADisallowedName_IsForbidden()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: $$"""{"keys": [{"name": "admin", "key": "{{Admin}}", "admin": true, "models": ["llama3.2"]}]}""");
        using var client = host.CreateClient(Admin);

        using var response = await client.PostAsync("api/copy", new StringContent("""{"source":"llama3.2","destination":"qwen3"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(host.Emulator.Requests);
    }
}
