using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Logs failures to reach Ollama without flooding the log during an outage: the first failure of an outage is one
/// line (a stack trace only for an unexpected exception, never for refused, reset or timed-out connections); later
/// failures are counted and summed up once per <see cref="Window"/> ("Ollama unreachable: 1,234 requests failed in the
/// last 10 s"); a window without failures ends the outage.
/// </summary>
internal sealed partial class UpstreamFailureLog : IDisposable
{
    /// <summary>How often an ongoing outage is summed up.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ILogger<UpstreamFailureLog> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _failedInWindow;
    private string? _lastProblem;

    /// <param name="logger">Where the lines go.</param>
    /// <param name="time">The clock of the summary windows.</param>
    /// <param name="upstream">The name of the Ollama server whose failures this log counts: each server has its own outages.</param>
    public UpstreamFailureLog(ILogger<UpstreamFailureLog> logger, TimeProvider time, string upstream = OllamaUpstream.DefaultName)
    {
        _logger = logger;
        _time = time;
        Upstream = upstream;
    }

    /// <summary>The name of the server whose failures are counted here.</summary>
    public string Upstream { get; }

    /// <summary>Notes one request that failed to reach Ollama, or broke off mid-answer.</summary>
    /// <param name="problem">What went wrong, in a few words ("connection refused", "timed out").</param>
    /// <param name="exception">The exception, logged with its stack trace only when it is not an expected network error.</param>
    public void Report(string problem, Exception? exception)
    {
        lock (_lock)
        {
            if (_timer is not null)
            {
                _failedInWindow++;
                _lastProblem = problem;
                return;
            }

            _failedInWindow = 0;
            _timer = _time.CreateTimer(static state => ((UpstreamFailureLog)state!).CloseWindow(), this, Window, Window);
        }

        if (exception is null || IsExpected(exception))
        {
            Log.Failed(_logger, Upstream, problem);
        }
        else
        {
            Log.FailedUnexpectedly(_logger, Upstream, problem, exception);
        }
    }

    /// <summary>What went wrong, in a few words, for an exception from a call to Ollama.</summary>
    public static string Describe(Exception? exception, bool timedOut) => timedOut ? "timed out" : exception switch
    {
        HttpRequestException { InnerException: SocketException socket } => Describe(socket),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection was closed",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "name not resolved",
        IOException { InnerException: SocketException socket } => Describe(socket),
        IOException => "the connection was lost",
        OperationCanceledException => "timed out",
        _ => "failed",
    };

    /// <summary>Whether <paramref name="exception"/> is an ordinary network failure, which needs no stack trace.</summary>
    public static bool IsExpected(Exception exception) => exception switch
    {
        OperationCanceledException or TimeoutException => true,
        HttpRequestException http => http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.ResponseEnded || http.InnerException is SocketException or IOException,
        IOException io => io.InnerException is null or SocketException,
        _ => false,
    };

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        _ => socket.SocketErrorCode.ToString(),
    };

    private void CloseWindow()
    {
        int failed;
        string? problem;
        lock (_lock)
        {
            failed = _failedInWindow;
            problem = _lastProblem;
            _failedInWindow = 0;
            if (failed == 0)
            {
                // A quiet window ends the outage: the next failure is news again.
                _timer?.Dispose();
                _timer = null;
                return;
            }
        }

        Log.StillFailing(_logger, Upstream, failed, (int)Window.TotalSeconds, problem);
    }

    private static partial class Log
    {
        [LoggerMessage(4010, LogLevel.Warning, "Ollama unreachable ({Upstream}): {Problem}. Further failures are summed up every 10 s.", EventName = "UpstreamUnreachable")]
        public static partial void Failed(ILogger logger, string upstream, string problem);

        [LoggerMessage(4011, LogLevel.Warning, "Ollama unreachable ({Upstream}): {Problem}. Further failures are summed up every 10 s.", EventName = "UpstreamFailedUnexpectedly")]
        public static partial void FailedUnexpectedly(ILogger logger, string upstream, string problem, Exception exception);

        [LoggerMessage(4012, LogLevel.Warning, "Ollama unreachable ({Upstream}): {Count} requests failed in the last {Seconds} s ({Problem}).", EventName = "UpstreamStillUnreachable")]
        public static partial void StillFailing(ILogger logger, string upstream, int count, int seconds, string? problem);
    }
}
