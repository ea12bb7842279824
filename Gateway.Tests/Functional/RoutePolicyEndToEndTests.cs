using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class RoutePolicyEndToEndTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("POST", "api/pull", "{\"model\":\"evil.example/x\",\"insecure\":true}")]
    [InlineData("POST", "api/push", "{\"model\":\"llama3.2\"}")]
    [InlineData("POST", "api/create", "{\"model\":\"x\",\"from\":\"llama3.2\"}")]
    [InlineData("POST", "api/copy", "{\"source\":\"llama3.2\",\"destination\":\"x\"}")]
    [InlineData("DELETE", "api/delete", "{\"model\":\"llama3.2\"}")]
    [InlineData("POST", "api/blobs/sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90", "x")]
    public async Task ManagementRoutes_Return403AndAreNotForwarded(string method, string path, string body)
    {
        using var client = _host.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").ValueKind);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("GET", "api/nothing")]
    [InlineData("GET", "debug/pprof/")]
    [InlineData("POST", "api/me")]
    [InlineData("GET", "v1/responses/resp_1")]
    public async Task UnknownRoutes_Return404AndAreNotForwarded(string method, string path)
    {
        using var client = _host.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task UnknownOpenAIRoute_Returns404InOpenAIShape()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("v1/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WrongMethod_Returns405WithAllow()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("api/chat");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Empty(_host.Emulator.Requests);
    }

    // A representative set from security.md §2.1, sent byte for byte so no client cleans them first.
    [Theory]
    [InlineData("POST", "//api/pull")]
    [InlineData("POST", "/api//pull")]
    [InlineData("POST", "/api/./pull")]
    [InlineData("POST", "/api/chat/../pull")]
    [InlineData("POST", "/api/chat/%2e%2e/pull")]
    [InlineData("POST", "/api/chat/%2E%2e/pull")]
    [InlineData("POST", "/api/chat/.%2e/pull")]
    [InlineData("POST", "/api%2Fpull")]
    [InlineData("POST", "/api%2fpull")]
    [InlineData("POST", "/api/chat/..%2fpull")]
    [InlineData("POST", "/api/%252e%252e/pull")]
    [InlineData("POST", "/api/pull/")]
    [InlineData("POST", "/API/PULL")]
    [InlineData("POST", "/api/pull;x=1")]
    [InlineData("POST", "/api/pull%20")]
    [InlineData("POST", "/api/pull%09")]
    [InlineData("POST", "/api/pull%00")]
    [InlineData("POST", "/api%5cpull")]
    [InlineData("POST", "/api/pull?x=1")]
    [InlineData("DELETE", "/api/chat/../delete")]
    [InlineData("POST", "/v1/../api/pull")]
    [InlineData("POST", "http://127.0.0.1/api/pull")]
    [InlineData("POST", "http://127.0.0.1/api%2Fpull")]
    public async Task PathTricks_NeverReachADeniedRoute(string method, string target)
    {
        var (status, _) = await RawHttp.SendAsync(_host.BaseAddress, $"{method} {target} HTTP/1.1\nAuthorization: Bearer {GatewayTestHost.Key}\nContent-Type: application/json\n", "{\"model\":\"x\"}");

        Assert.True(status is 400 or 403 or 404, $"status {status}");
        Assert.DoesNotContain(_host.Emulator.Requests, r => r.Path.Contains("pull", StringComparison.OrdinalIgnoreCase) || r.Path.Contains("delete", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task DotSegmentsResolvingToAnAllowedRoute_ForwardTheResolvedPath()
    {
        var (status, _) = await RawHttp.SendAsync(_host.BaseAddress, $"GET /api/ps/../tags HTTP/1.1\nAuthorization: Bearer {GatewayTestHost.Key}\n");

        Assert.Equal(200, status);
        Assert.Equal("/api/tags", Assert.Single(_host.Emulator.Requests).Path);
    }
}
