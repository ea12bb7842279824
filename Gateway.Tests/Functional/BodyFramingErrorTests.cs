using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// A body whose framing is broken, or that passes its route's cap without declaring a length, is refused in the route's
/// own error shape — never as a bare 500 or 413 — and never reaches Ollama.
/// </summary>
public sealed class BodyFramingErrorTests : IAsyncLifetime
{
    private const string Body = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}""";
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/api/chat", "ffffffff")]
    [InlineData("/api/generate", "ffffffffffff")]
    [InlineData("/v1/chat/completions", "ffffffffffffffffffff")]
    [InlineData("/api/chat", "ffffffffffffffffffff")]
    public async Task HugeChunkSize_Returns400InTheRoutesShapeAndCloses(string path, string chunkSize)
    {
        var raw = Head(path) + $"Transfer-Encoding: chunked\r\n\r\n{chunkSize}\r\n{Body}\r\n0\r\n\r\n";

        var (status, response) = await RawHttp.SendTolerantAsync(_host.BaseAddress, Encoding.ASCII.GetBytes(raw));

        Assert.Equal(400, status);
        AssertErrorShape(path, BodyOf(response));
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Theory]
    [InlineData("/api/show", 70 * 1024)]
    [InlineData("/api/chat", 17 * 1024 * 1024)]
    [InlineData("/v1/chat/completions", 17 * 1024 * 1024)]
    public async Task ChunkedBodyOverTheCap_Returns413InTheRoutesShape(string path, int size)
    {
        var padding = new string(' ', size);
        var raw = new MemoryStream();
        raw.Write(Encoding.ASCII.GetBytes(Head(path) + "Transfer-Encoding: chunked\r\n\r\n"));
        foreach (var piece in padding.Chunk(64 * 1024))
        {
            raw.Write(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            raw.Write(Encoding.ASCII.GetBytes(piece));
            raw.Write("\r\n"u8);
        }

        raw.Write(Encoding.ASCII.GetBytes($"{Body.Length:x}\r\n{Body}\r\n0\r\n\r\n"));

        var (status, response) = await RawHttp.SendTolerantAsync(_host.BaseAddress, raw.ToArray());

        Assert.Equal(413, status);
        AssertErrorShape(path, BodyOf(response));
        Assert.Empty(_host.Emulator.Requests);
    }

    private static void AssertErrorShape(string path, string body)
    {
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        if (path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error.GetString()));
        }
    }

    private static string BodyOf(string response)
    {
        var headEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = response[(headEnd + 4)..];
        if (!response[..headEnd].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        // De-chunk: size line, data, CRLF, until the zero-size chunk.
        var text = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..lineEnd], 16);
            if (size == 0)
            {
                return text.ToString();
            }

            text.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private string Head(string path) =>
        $"POST {path} HTTP/1.1\r\nHost: {_host.BaseAddress.Authority}\r\nAuthorization: Bearer {GatewayTestHost.Key}\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n";
}
