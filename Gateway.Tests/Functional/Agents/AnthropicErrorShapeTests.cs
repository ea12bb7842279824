using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional.Agents;

/// <summary>Every error on <c>/v1/messages</c>, the gateway's own included, is Anthropic's error object with Anthropic's status.</summary>
public sealed class AnthropicErrorShapeTests
{
    private const string Body = """{"model":"llama3.2","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["type", "error"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
        return body;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task GatewayOwnErrors_AreInAnthropicShape()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:MaxRequestBodyBytes=1024");
        using var anonymous = host.CreateClient(key: null);
        using var client = host.CreateClient();

        using (var response = await anonymous.PostAsync("v1/messages?beta=true", Json(Body)))
        {
            await ErrorAsync(response, HttpStatusCode.Unauthorized, "authentication_error");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        using (var response = await client.GetAsync("v1/messages"))
        {
            await ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request_error");
            Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        }

        using (var response = await client.PostAsync("v1/messages/batches", Json(Body)))
        {
            await ErrorAsync(response, HttpStatusCode.NotFound, "not_found_error");
        }

        using (var response = await client.PostAsync("v1/messages", Json(Body.Replace("hi", new string('x', 2048), StringComparison.Ordinal))))
        {
            await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        }

        using (var response = await client.PostAsync("v1/messages", Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""")))
        {
            var body = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
            Assert.Contains("max_tokens", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(host.Emulator.Requests);
    }

    [Fact]
    public async Task RateLimit_IsRateLimitError()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": [{"name": "slow", "key": "sk-slow-0123456789", "limits": {"requestsPerMinute": 1}}]}""");
        using var client = host.CreateClient("sk-slow-0123456789");

        using (var first = await client.PostAsync("v1/messages", Json(Body)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await client.PostAsync("v1/messages", Json(Body));
        await ErrorAsync(second, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.NotNull(second.Headers.RetryAfter);
    }

    [Fact]
    public async Task OllamaFailure_IsTypedByItsStatus()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        host.Emulator.FailNextRequests(1, 503, "server busy");

        using var response = await client.PostAsync("v1/messages", Json(Body));

        await ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "overloaded_error");
    }
}
