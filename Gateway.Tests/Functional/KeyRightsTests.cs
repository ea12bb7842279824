using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class KeyRightsTests : IAsyncLifetime
{
    private const string Admin = "sk-admin-0123456789";
    private const string User = "sk-user-0123456789";
    private const string Llama = "sk-llama-only-0123456789";
    private const string Expired = "sk-expired-0123456789";
    private const string Disabled = "sk-disabled-0123456789";

    private static readonly string s_keys = $$"""
        {"keys": [
          {"name": "admin", "key": "{{Admin}}", "admin": true},
          {"name": "user", "key": "{{User}}"},
          {"name": "llama", "key": "{{Llama}}", "models": ["llama3.2*", "alice/*"]},
          {"name": "expired", "key": "{{Expired}}", "expires": "2020-01-01T00:00:00Z"},
          {"name": "disabled", "key": "{{Disabled}}", "disabled": true}
        ]}
        """;

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(
        new EmulatorOptions { Models = [.. EmulatorOptions.DefaultModels, new EmulatorModel { Name = "alice/tuned:v1" }] },
        s_keys);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("POST", "/api/pull", "{\"model\":\"llama3.2\"}")]
    [InlineData("POST", "/api/push", "{\"model\":\"alice/tuned:v1\"}")]
    [InlineData("POST", "/api/create", "{\"model\":\"mine\",\"from\":\"llama3.2\"}")]
    [InlineData("POST", "/api/copy", "{\"source\":\"llama3.2\",\"destination\":\"copy\"}")]
    [InlineData("DELETE", "/api/delete", "{\"model\":\"llama3.2\"}")]
    [InlineData("HEAD", "/api/blobs/sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90", null)]
    [InlineData("POST", "/api/blobs/sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90", "blob")]
    public async Task ManagementRoutes_ReachOllamaOnlyForAdminKeys(string method, string path, string? body)
    {
        foreach (var key in (string[])[User, Llama])
        {
            using var refused = await SendAsync(key, method, path, body);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Empty(_host.Emulator.Requests);

        using var allowed = await SendAsync(Admin, method, path, body);

        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);
        Assert.Equal(path, Assert.Single(_host.Emulator.Requests).Path);
    }

    [Theory]
    [InlineData(Expired, "expired")]
    [InlineData(Disabled, "Incorrect")]
    public async Task ExpiredOrDisabledKey_Returns401(string key, string messagePart)
    {
        using var client = _host.CreateClient(key);

        using var response = await client.PostAsync("v1/chat/completions", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains(messagePart, error.GetProperty("message").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task RestrictedKey_SeesOnlyItsModelsInEveryList()
    {
        using var client = _host.CreateClient(Llama);

        var tags = JsonDocument.Parse(await client.GetStringAsync("api/tags")).RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        var v1 = JsonDocument.Parse(await client.GetStringAsync("v1/models")).RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        using var hidden = await client.GetAsync("v1/models/qwen3");
        using var ps = await client.GetAsync("api/ps");

        Assert.Equal(["alice/tuned:v1", "llama3.2:latest"], tags.Order());
        Assert.Equal(["alice/tuned:v1", "llama3.2:latest"], v1.Order());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ps.StatusCode);
    }

    [Fact]
    public async Task UnrestrictedKey_SeesEveryModel()
    {
        using var client = _host.CreateClient(User);

        var tags = JsonDocument.Parse(await client.GetStringAsync("api/tags")).RootElement.GetProperty("models");

        Assert.Equal(_host.Emulator.Options.Models.Count, tags.GetArrayLength());
    }

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("llama3.2:latest", true)]
    [InlineData("LLAMA3.2", true)]
    [InlineData("alice/tuned:v1", true)]
    [InlineData("qwen3", false)]
    [InlineData("bob/llama3.2", false)]
    public async Task RestrictedKey_UsesOnlyMatchingModelsOnOpenAIRoutes(string model, bool allowed)
    {
        using var client = _host.CreateClient(Llama);

        using var chat = await client.PostAsync("v1/chat/completions", Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""));
        using var embed = await client.PostAsync("v1/embeddings", Json($$"""{"model":"{{model}}","input":"hi"}"""));

        foreach (var response in (HttpResponseMessage[])[chat, embed])
        {
            if (allowed)
            {
                Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
                Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
                Assert.Equal("model", error.GetProperty("param").GetString());
            }
        }

        Assert.Equal(allowed ? 2 : 0, _host.Emulator.Requests.Count);
    }

    private async Task<HttpResponseMessage> SendAsync(string key, string method, string path, string? body)
    {
        using var client = _host.CreateClient(key);
        var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = Json(body);
        }

        return await client.SendAsync(request);
    }
}
