using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task NoKeyOnNativeRoute_Returns401InOllamaShape()
    {
        using var client = _host.CreateClient(key: null);

        using var response = await client.GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.String, body.GetProperty("error").ValueKind);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task NoKeyOnOpenAIRoute_Returns401InOpenAIShape()
    {
        using var client = _host.CreateClient(key: null);

        using var response = await client.PostAsync("v1/chat/completions", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("sk-wrong")]
    [InlineData("sk-test-0123456789abcde")]
    [InlineData("SK-TEST-0123456789ABCDEF")]
    public async Task WrongKey_Returns401AndIsNotForwarded(string key)
    {
        using var client = _host.CreateClient(key);

        using var response = await client.GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(key, await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + GatewayTestHost.Key)]
    [InlineData("Authorization", "bearer " + GatewayTestHost.Key)]
    [InlineData("x-api-key", GatewayTestHost.Key)]
    [InlineData("api-key", GatewayTestHost.SecondKey)]
    public async Task EachCredentialHeader_IsAcceptedAndNeverForwarded(string header, string value)
    {
        using var client = _host.CreateClient(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/tags");
        request.Headers.TryAddWithoutValidation(header, value);
        request.Headers.TryAddWithoutValidation("Cookie", "session=secret");
        request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.0.0.1");
        request.Headers.TryAddWithoutValidation("X-HTTP-Method-Override", "DELETE");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(_host.Emulator.Requests);
        Assert.Equal("/api/tags", seen.Path);
        foreach (var name in (string[])["Authorization", "x-api-key", "api-key", "Cookie", "Origin", "X-Forwarded-For", "X-HTTP-Method-Override"])
        {
            Assert.False(seen.Headers.ContainsKey(name), $"{name} reached Ollama");
        }

        Assert.Equal(_host.Emulator.BaseAddress.Authority, seen.Headers["Host"]);
    }

    [Fact]
    public async Task DifferentKeysInTwoHeaders_Returns401()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", GatewayTestHost.SecondKey);

        using var response = await client.GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task Health_NeedsNoKeyAndNeverReachesOllama()
    {
        using var client = _host.CreateClient(key: null);

        using var response = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task UnknownRouteWithoutKey_Returns401NotRouteInformation()
    {
        using var client = _host.CreateClient(key: null);

        using var response = await client.GetAsync("api/nothing-here");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task KeyFileWithoutKeys_RefusesEveryone()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": []}""");
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await client.GetAsync("api/tags");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_NeedsNoKeyAndReportsWhetherOllamaAnswers()
    {
        using var client = _host.CreateClient(key: null);

        using var ready = await client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("/api/version", Assert.Single(_host.Emulator.Requests).Path);

        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a"]}""");
        await using var app = GatewayTestHost.BuildServer("http://127.0.0.1:1", directory.PathOf("keys.json"));
        await app.StartAsync();
        using var orphan = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var notReady = await orphan.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        await app.StopAsync();
    }
}
