using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// Ollama runs a model tagged <c>cloud</c> or <c>…-cloud</c> on ollama.com, on the account of whoever runs Ollama.
/// Through the gateway such a model is open only to a key whose model list names it: every other key, the default
/// rights and globs such as <c>*</c> included, gets 403 on use and never sees it listed, natively and on /v1.
/// </summary>
public sealed class CloudModelTests : IAsyncLifetime
{
    private const string Cloud = "gpt-oss:120b-cloud";
    private const string User = "sk-user-0123456789";
    private const string Admin = "sk-admin-0123456789";
    private const string Glob = "sk-glob-0123456789";
    private const string Named = "sk-named-cloud-0123456789";

    private static readonly string s_keys = $$"""
        {"keys": [
          {"name": "user", "key": "{{User}}"},
          {"name": "admin", "key": "{{Admin}}", "admin": true},
          {"name": "glob", "key": "{{Glob}}", "models": ["*", "gpt-oss*"]},
          {"name": "named", "key": "{{Named}}", "models": ["llama3.2*", "{{Cloud}}"]}
        ]}
        """;

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(
        new EmulatorOptions { Models = [.. EmulatorOptions.DefaultModels, new EmulatorModel { Name = Cloud }] },
        s_keys);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private OpenAIClientOptions SdkOptions => new() { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(User, Cloud)]
    [InlineData(User, "gpt-oss:120b:cloud")]
    [InlineData(User, "GPT-OSS:120B-CLOUD")]
    [InlineData(Admin, Cloud)]
    [InlineData(Glob, Cloud)]
    public async Task KeyThatDoesNotNameTheCloudModel_Gets403OnEveryNativeRoute(string key, string model)
    {
        using var client = _host.CreateClient(key);

        (string Path, string Body)[] requests =
        [
            ("api/chat", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""),
            ("api/generate", $$"""{"model":"{{model}}","prompt":"hi"}"""),
            ("api/embed", $$"""{"model":"{{model}}","input":"hi"}"""),
            ("api/embeddings", $$"""{"model":"{{model}}","prompt":"hi"}"""),
            ("api/show", $$"""{"model":"{{model}}"}"""),
        ];
        foreach (var (path, body) in requests)
        {
            using var response = await client.PostAsync(path, Json(body));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains(model, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        }

        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData(User)]
    [InlineData(Admin)]
    [InlineData(Glob)]
    public async Task KeyThatDoesNotNameTheCloudModel_Gets403OnEveryOpenAIRoute(string key)
    {
        using var client = _host.CreateClient(key);

        using var chat = await client.PostAsync("v1/chat/completions", Json($$"""{"model":"{{Cloud}}","messages":[{"role":"user","content":"hi"}]}"""));
        using var completion = await client.PostAsync("v1/completions", Json($$"""{"model":"{{Cloud}}","prompt":"hi"}"""));
        using var embeddings = await client.PostAsync("v1/embeddings", Json($$"""{"model":"{{Cloud}}","input":"hi"}"""));

        foreach (var response in (HttpResponseMessage[])[chat, completion, embeddings])
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
        }

        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task OpenAISdk_WithDefaultRights_CannotChatWithTheCloudModel()
    {
        var client = new ChatClient(Cloud, new ApiKeyCredential(User), SdkOptions);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(403, error.Status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData(User)]
    [InlineData(Admin)]
    [InlineData(Glob)]
    public async Task KeyThatDoesNotNameTheCloudModel_NeverSeesItListed(string key)
    {
        var loaded = await UseCloudModelAsync(); // loaded now, so Ollama's /api/ps lists it too
        using var client = _host.CreateClient(key);

        var tags = Names(await client.GetStringAsync("api/tags"), "models", "name");
        var ps = Names(await client.GetStringAsync("api/ps"), "models", "name");
        OpenAIModelCollection v1 = await new OpenAIModelClient(new ApiKeyCredential(key), SdkOptions).GetModelsAsync();
        using var one = await client.GetAsync($"v1/models/{Cloud}");

        Assert.Contains(Cloud, loaded);
        Assert.Contains("llama3.2:latest", tags);
        Assert.DoesNotContain(Cloud, tags);
        Assert.DoesNotContain(Cloud, ps);
        Assert.Contains(v1, m => m.Id == "llama3.2:latest");
        Assert.DoesNotContain(v1, m => m.Id == Cloud);
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
    }

    [Fact]
    public async Task KeyThatNamesTheCloudModel_UsesAndListsIt()
    {
        using var client = _host.CreateClient(Named);

        using var native = await client.PostAsync("api/chat", Json($$"""{"model":"{{Cloud}}","messages":[{"role":"user","content":"hi"}],"stream":false}"""));
        ChatCompletion completion = await new ChatClient(Cloud, new ApiKeyCredential(Named), SdkOptions).CompleteChatAsync([new UserChatMessage("hi")]);
        var tags = Names(await client.GetStringAsync("api/tags"), "models", "name");
        OpenAIModelCollection v1 = await new OpenAIModelClient(new ApiKeyCredential(Named), SdkOptions).GetModelsAsync();
        using var other = await client.PostAsync("api/chat", Json("""{"model":"deepseek-v3.1:671b-cloud","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(["gpt-oss:120b-cloud", "llama3.2:latest"], tags.Order(StringComparer.Ordinal));
        Assert.Equal(["gpt-oss:120b-cloud", "llama3.2:latest"], v1.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Theory]
    [InlineData("POST", "api/pull", $$"""{"model":"{{Cloud}}"}""")]
    [InlineData("POST", "api/copy", $$"""{"source":"{{Cloud}}","destination":"looks-local"}""")]
    [InlineData("POST", "api/create", $$"""{"model":"looks-local","from":"{{Cloud}}"}""")]
    public async Task AdminWithDefaultRights_CannotPullOrDisguiseACloudModel(string method, string path, string body)
    {
        using var client = _host.CreateClient(Admin);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("POST", "api/me")]
    [InlineData("POST", "api/signout")]
    [InlineData("DELETE", "api/user/keys/c3NoLWVkMjU1MTk")]
    [InlineData("GET", "api/status")]
    [InlineData("POST", "api/experimental/web_search")]
    [InlineData("POST", "api/experimental/web_fetch")]
    [InlineData("GET", "api/experimental/model-recommendations")]
    public async Task OllamaAccountEndpoints_AreNotForwarded(string method, string path)
    {
        foreach (var key in (string[])[User, Named, Admin])
        {
            using var client = _host.CreateClient(key);

            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Json("{}") : null });

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Empty(_host.Emulator.Requests);
    }

    // The key that names the cloud model runs it, and then sees it among the loaded models.
    private async Task<List<string>> UseCloudModelAsync()
    {
        using var client = _host.CreateClient(Named);
        using var response = await client.PostAsync("api/generate", Json($$"""{"model":"{{Cloud}}","prompt":"hi","stream":false}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Names(await client.GetStringAsync("api/ps"), "models", "name");
    }

    private static List<string> Names(string json, string array, string field) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty(array).EnumerateArray().Select(m => m.GetProperty(field).GetString()!)];
}
