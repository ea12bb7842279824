using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>Request-smuggling shapes and oversized requests, sent byte for byte, never reach Ollama.</summary>
public sealed class HardenedParsingTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(extraArgs: ["--Gateway:MaxRequestBodyBytes=4096"]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Head(string path = "/api/chat") =>
        $"POST {path} HTTP/1.1\r\nHost: {_host.BaseAddress.Authority}\r\nAuthorization: Bearer {GatewayTestHost.Key}\r\nContent-Type: application/json\r\nConnection: close\r\n";

    private const string Body = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}""";

    [Theory]
    [InlineData("/api/chat")]
    [InlineData("/v1/chat/completions")]
    public async Task ContentLengthWithTransferEncoding_IsRefused(string path)
    {
        var chunk = $"{Body.Length:x}\r\n{Body}\r\n0\r\n\r\n";
        var (status, _) = await RawHttp.SendExactAsync(_host.BaseAddress, Head(path) + $"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n{chunk}");

        Assert.Equal(400, status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task ConflictingContentLengths_AreRefused()
    {
        var (status, _) = await RawHttp.SendExactAsync(_host.BaseAddress, Head() + $"Content-Length: {Body.Length}\r\nContent-Length: 5\r\n\r\n{Body}");

        Assert.Equal(400, status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("5;ext\nx\r\n")]
    [InlineData("-1\r\n")]
    public async Task MalformedChunking_IsRefused(string badChunkStart)
    {
        var (status, _) = await RawHttp.SendExactAsync(_host.BaseAddress, Head("/v1/chat/completions") + $"Transfer-Encoding: chunked\r\n\r\n{badChunkStart}{Body}\r\n0\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("/api/chat")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/api/show")]
    public async Task DeclaredBodyOverTheRoutesCap_Returns413BeforeOllama(string path)
    {
        var big = new string(' ', 70_000) + Body;
        var (status, _) = await RawHttp.SendExactAsync(_host.BaseAddress, Head(path) + $"Content-Length: {big.Length}\r\n\r\n{big}");

        Assert.Equal(413, status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task ChunkedBodyOverTheCap_Returns413BeforeOllama()
    {
        var big = new string(' ', 10_000) + Body;
        var (status, _) = await RawHttp.SendExactAsync(_host.BaseAddress, Head("/v1/chat/completions") + $"Transfer-Encoding: chunked\r\n\r\n{big.Length:x}\r\n{big}\r\n0\r\n\r\n");

        Assert.Equal(413, status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task OversizedHeaders_AreRefused()
    {
        var (status, _) = await RawHttp.SendExactAsync(_host.BaseAddress, Head() + $"X-Padding: {new string('a', 40_000)}\r\nContent-Length: {Body.Length}\r\n\r\n{Body}");

        Assert.Equal(431, status);
        Assert.Empty(_host.Emulator.Requests);
    }
}
