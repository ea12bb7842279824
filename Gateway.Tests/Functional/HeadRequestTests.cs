using System.Net;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// <c>HEAD</c> on the probes and on <c>/api/version</c>, as load balancers and uptime checks send it: the status and
/// headers of the <c>GET</c> answer and no body; the probes need no key, <c>/api/version</c> does.
/// </summary>
public sealed class HeadRequestTests
{
    [Theory]
    [InlineData("healthz")]
    [InlineData("readyz")]
    public async Task HeadOnAProbe_Answers200WithoutKeyOrBody(string path)
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var anonymous = host.CreateClient(key: null);

        using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        using var get = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json; charset=utf-8", head.Content.Headers.ContentType?.ToString());
        Assert.True(head.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeadOnReadiness_Answers503WhenOllamaIsDown()
    {
        await using var host = await GatewayTestHost.StartAsync();
        await host.Emulator.DisposeAsync();
        using var anonymous = host.CreateClient(key: null);

        using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "readyz"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeadOnVersion_NeedsAKey_AndIsForwardedWithOne()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var anonymous = host.CreateClient(key: null);
        using var client = host.CreateClient();

        using var refused = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "api/version"));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "api/version"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        var forwarded = Assert.Single(host.Emulator.Requests);
        Assert.Equal(("HEAD", "/api/version"), (forwarded.Method, forwarded.Path));
    }
}
