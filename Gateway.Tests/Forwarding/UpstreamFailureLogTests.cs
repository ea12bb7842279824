using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Forwarding;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Forwarding;

public sealed class UpstreamFailureLogTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingLoggerProvider _recorder = new();

    private UpstreamFailureLog CreateLog() =>
        new(LoggerFactory.Create(logging => logging.AddProvider(_recorder)).CreateLogger<UpstreamFailureLog>(), _time);

    [Fact]
    public void RefusedConnection_IsOneLineWithoutStackTrace()
    {
        using var log = CreateLog();

        log.Report("connection refused", new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));

        var entry = Assert.Single(_recorder.Entries);
        Assert.Null(entry.Exception);
        Assert.Equal(LogLevel.Warning, entry.Level);
    }

    [Fact]
    public void UnexpectedException_KeepsItsStackTrace()
    {
        using var log = CreateLog();

        log.Report("failed", new InvalidOperationException("a bug"));

        Assert.IsType<InvalidOperationException>(Assert.Single(_recorder.Entries).Exception);
    }

    [Fact]
    public void FailuresAfterTheFirst_AreSummedUpPerWindow_AndAQuietWindowEndsTheOutage()
    {
        using var log = CreateLog();
        for (var i = 0; i < 25; i++)
        {
            log.Report("timed out", new TaskCanceledException());
        }

        Assert.Single(_recorder.Entries);
        _time.Advance(UpstreamFailureLog.Window);
        Assert.Contains("24 requests failed in the last 10 s (timed out)", _recorder.Entries[1].Message, StringComparison.Ordinal);

        log.Report("timed out", null);
        _time.Advance(UpstreamFailureLog.Window);
        Assert.Contains("1 requests failed", _recorder.Entries[2].Message, StringComparison.Ordinal);

        _time.Advance(UpstreamFailureLog.Window);
        log.Report("connection refused", null);

        Assert.Equal(4, _recorder.Entries.Count);
        Assert.Contains("connection refused", _recorder.Entries[3].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "connection refused")]
    [InlineData(SocketError.ConnectionReset, "connection reset")]
    [InlineData(SocketError.TimedOut, "timed out")]
    public void NetworkErrors_AreDescribedAndExpected(SocketError code, string description)
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)code));

        Assert.Equal(description, UpstreamFailureLog.Describe(exception, timedOut: false));
        Assert.True(UpstreamFailureLog.IsExpected(exception));
    }
}
