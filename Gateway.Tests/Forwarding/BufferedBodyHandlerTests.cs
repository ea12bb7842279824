using System.Net;
using System.Text;
using OllamaGateway.Forwarding;

namespace OllamaGateway.Tests.Forwarding;

public sealed class BufferedBodyHandlerTests
{
    [Fact]
    public async Task RequestWithABufferedBody_IsSentWithThoseBytesAndTheContentHeaders()
    {
        var inner = new CapturingHandler();
        using var invoker = new HttpMessageInvoker(new BufferedBodyHandler(inner));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://ollama.test/api/chat")
        {
            // Stands in for YARP's streamed copy: it must never be read.
            Content = new StreamContent(new ThrowingStream()),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentLength = 11;
        request.Options.Set(BufferedBodyHandler.Body, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes("{\"a\":\"bé\"}")));

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal("{\"a\":\"bé\"}", inner.Body);
        Assert.Equal("application/json", inner.ContentType);
        Assert.Equal(11, inner.ContentLength);
    }

    [Fact]
    public async Task RequestWithoutABufferedBody_IsSentUnchanged()
    {
        var inner = new CapturingHandler();
        using var invoker = new HttpMessageInvoker(new BufferedBodyHandler(inner));
        using var content = new StringContent("streamed", Encoding.UTF8, "text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://ollama.test/api/blobs/sha256:00") { Content = content };

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Same(content, inner.Content);
        Assert.Equal("streamed", inner.Body);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpContent? Content { get; private set; }

        public string? Body { get; private set; }

        public string? ContentType { get; private set; }

        public long? ContentLength { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Content = request.Content;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            ContentType = request.Content?.Headers.ContentType?.MediaType;
            ContentLength = request.Content?.Headers.ContentLength;
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the streamed copy was read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the streamed copy was read");
    }
}
