using System.Text;
using OllamaGateway.Pipeline;
using OllamaGateway.Forwarding;

namespace OllamaGateway.Tests.Pipeline;

public sealed class UpstreamBodyReaderTests
{
    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("{\"message\":{\"content\":\"héllo\"},\"done\":true}");

    [Fact]
    public async Task AnswerWithContentLength_IsReadWhole()
    {
        using var content = new ByteArrayContent(Answer);

        var body = await UpstreamBodyReader.ReadAsync(content, maxBytes: Answer.Length, CancellationToken.None);

        Assert.Equal(Answer, body);
    }

    [Fact]
    public async Task AnswerWithoutContentLength_IsReadWhole()
    {
        using var content = new StreamContent(new MemoryStream(Answer));

        var body = await UpstreamBodyReader.ReadAsync(content, maxBytes: Answer.Length, CancellationToken.None);

        Assert.Equal(Answer, body);
    }

    [Fact]
    public async Task DeclaredLengthOverTheCap_IsRefusedBeforeReading()
    {
        using var content = new ByteArrayContent(Answer);

        Assert.Null(await UpstreamBodyReader.ReadAsync(content, maxBytes: Answer.Length - 1, CancellationToken.None));
    }

    [Fact]
    public async Task UndeclaredAnswerOverTheCap_IsRefused()
    {
        using var content = new StreamContent(new MemoryStream(new byte[100_000]));

        Assert.Null(await UpstreamBodyReader.ReadAsync(content, maxBytes: 50_000, CancellationToken.None));
    }

    [Fact]
    public async Task AnswerShorterThanDeclared_FailsAsAnIOError()
    {
        using var content = new StreamContent(new MemoryStream(Answer));
        content.Headers.ContentLength = Answer.Length + 10;

        await Assert.ThrowsAnyAsync<IOException>(() => UpstreamBodyReader.ReadAsync(content, maxBytes: 1024, CancellationToken.None));
    }
}
