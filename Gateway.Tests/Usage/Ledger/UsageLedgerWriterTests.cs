using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;
using OllamaGateway.Tests.Common;
using OllamaGateway.Tests.Usage.Metrics;
using OllamaGateway.Translation;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Tests.Usage.Ledger;

/// <summary>
/// The ledger's background writer on a fake clock: the rows it writes, column by column; the 200 ms linger before a
/// small batch and none before a full one; a full queue dropping, counting and logging at most once a minute; pruning
/// at start and then hourly; a stop that drains the queue; failures logged and counted.
/// </summary>
public sealed class UsageLedgerWriterTests : IDisposable
{
    private const int QueueFull = 5010;
    private const int WriteFailed = 5011;
    private const int Pruned = 5012;
    private const int PruneFailed = 5013;
    private static readonly DateTimeOffset s_start = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_linger = TimeSpan.FromMilliseconds(200);
    private readonly TempDirectory _directory = new();
    private readonly LingerClock _clock = new(s_start);
    private readonly MetricsHarness _metrics = new();
    private readonly RecordingLoggerProvider _logs = new();

    public void Dispose()
    {
        _metrics.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Rows_AreWrittenColumnByColumn_WithNullsKeptAndLongModelsCut()
    {
        var longModel = new string('m', UsageEntry.MaxTextLength + 44);
        using var writer = Writer();
        var served = Record("alice", "/api/chat", "llama3.2", "default");
        served.SetUsage(new TokenUsage(26, 0));
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        served.MarkFirstByte();
        _clock.Advance(TimeSpan.FromMilliseconds(85));
        served.EstimateCompletion(7);
        served.Finish(200, clientAborted: true);
        var refused = Record(key: null, path: null, longModel, upstream: null);
        refused.Fail(GatewayError.MissingKey);
        refused.Finish(401, clientAborted: false);
        writer.OnFinished(served);
        writer.OnFinished(refused);

        await StartAsync(writer);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(
        [
            [s_start.ToUnixTimeMilliseconds(), "alice", "/api/chat", "llama3.2", "default", 200L, "client_closed", null, 26L, 7L, 1L, 125.0, 40.0],
            [s_start.AddMilliseconds(125).ToUnixTimeMilliseconds(), null, null, longModel[..UsageEntry.MaxTextLength], null, 401L, "refused", "MissingKey", 0L, 0L, 0L, 0.0, null],
        ], Rows());
    }

    [Fact]
    public async Task SmallBatch_WaitsForTheLinger_ThenIsWritten()
    {
        using var writer = Writer();
        writer.OnFinished(Finished());

        await StartAsync(writer);
        _clock.Advance(s_linger - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, RowCount());
        Assert.Equal(1, writer.QueueDepth);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => RowCount() == 1);
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task FullBatches_AreWrittenWithoutLingering()
    {
        // Two full batches of 512: neither waits for the clock, which never moves here.
        using var writer = Writer(queueCapacity: 2048);
        for (var i = 0; i < 1024; i++)
        {
            writer.OnFinished(Finished());
        }

        await writer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => RowCount() == 1024);

        Assert.Equal(0, writer.QueueDepth);
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stop_WritesEveryQueuedRow_WithoutWaitingForTheLinger()
    {
        using var writer = Writer();
        for (var i = 0; i < 3; i++)
        {
            writer.OnFinished(Finished());
        }

        await StartAsync(writer);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(3, RowCount());
        Assert.Equal(0, writer.QueueDepth);
    }

    [Fact]
    public void FullQueue_DropsAndCountsRows_AndLogsAtMostOncePerMinute()
    {
        // Never started: nothing takes rows from the queue of one.
        using var writer = Writer(queueCapacity: 1);
        writer.OnFinished(Finished());
        writer.OnFinished(Finished());
        writer.OnFinished(Finished());
        _clock.Advance(TimeSpan.FromSeconds(59));
        writer.OnFinished(Finished());

        Assert.Equal(3, writer.Dropped);
        Assert.Equal(["(1 dropped so far)"], QueueFullCounts());

        _clock.Advance(TimeSpan.FromSeconds(1));
        writer.OnFinished(Finished());

        Assert.Equal(4, writer.Dropped);
        Assert.Equal(["(1 dropped so far)", "(4 dropped so far)"], QueueFullCounts());
        Assert.Equal(["ollama_gateway_ledger_dropped_total 4"], _metrics.Lines("ollama_gateway_ledger_dropped_total"));
        Assert.Equal(["ollama_gateway_ledger_queue_depth 1"], _metrics.Lines("ollama_gateway_ledger_queue_depth"));
    }

    [Fact]
    public async Task Prune_RemovesRowsPastRetentionAtStart_AndAgainOnlyAfterAnHour()
    {
        // Retention is one day: the first row is past it at start, the second only half an hour later.
        using (var ledger = SqliteUsageLedger.OpenForWriting(LedgerPath))
        {
            ledger.Append([Entry(s_start.AddDays(-1).AddMinutes(-1)), Entry(s_start.AddDays(-1).AddMinutes(30)), Entry(s_start)]);
        }

        using var writer = Writer();
        await writer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _logs.Entries.Any(entry => entry.EventId.Id == Pruned));
        Assert.Equal(2, RowCount());

        // 59 minutes on, a batch is written; the row now past retention stays until the hour is up.
        _clock.Advance(TimeSpan.FromMinutes(59));
        writer.OnFinished(Finished());
        await _clock.WaitForTimerAsync();
        _clock.Advance(s_linger);
        await WaitUntilAsync(() => RowCount() == 3);
        _clock.Advance(TimeSpan.FromMinutes(1) - s_linger - s_linger);
        writer.OnFinished(Finished());
        // The second batch's linger has begun: the first batch, and its check for pruning, are done.
        await _clock.WaitForTimerAsync();
        Assert.Equal(3, RowCount());
        Assert.Single(_logs.Entries, entry => entry.EventId.Id == Pruned);

        // Its linger ends exactly an hour after the first pruning.
        _clock.Advance(s_linger);
        await WaitUntilAsync(() => _logs.Entries.Count(entry => entry.EventId.Id == Pruned) == 2);

        Assert.Equal(3, RowCount());
        Assert.All(_logs.Entries.Where(entry => entry.EventId.Id == Pruned), entry => Assert.Equal("Pruned 1 usage rows past their retention.", entry.Message));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Prune_LogsNothing_WhenNoRowIsPastRetention()
    {
        using var writer = Writer();
        writer.OnFinished(Finished());

        // The linger comes after the pruning at start.
        await StartAsync(writer);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1, RowCount());
        Assert.DoesNotContain(_logs.Entries, entry => entry.EventId.Id == Pruned);
    }

    [Fact]
    public async Task LedgerLosingItsTable_LogsTheFailedPruneAndWrite_CountsTheRows_AndGoesOn()
    {
        using var writer = Writer();
        Execute("DROP TABLE requests");

        await writer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _logs.Entries.Any(entry => entry.EventId.Id == PruneFailed));
        writer.OnFinished(Finished());
        writer.OnFinished(Finished());
        await _clock.WaitForTimerAsync();
        _clock.Advance(s_linger);
        await WaitUntilAsync(() => writer.Failed == 2 && _logs.Entries.Any(entry => entry.EventId.Id == WriteFailed));

        Assert.Contains(_logs.Entries, entry => entry.EventId.Id == PruneFailed && entry.Level == LogLevel.Warning && entry.Exception is SqliteException);
        Assert.Contains(_logs.Entries, entry => entry.EventId.Id == WriteFailed && entry.Level == LogLevel.Error && entry.Message.Contains("(2 lost so far)", StringComparison.Ordinal));
        await writer.StopAsync(CancellationToken.None);
        Assert.True(writer.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Dispose_ClosesTheLedger_LeavingOneFile()
    {
        var writer = Writer();
        writer.OnFinished(Finished());
        await StartAsync(writer);
        await writer.StopAsync(CancellationToken.None);
        Assert.True(File.Exists(LedgerPath + "-wal"));

        writer.Dispose();

        // The last connection to close checkpoints the write-ahead log into the file and deletes it.
        Assert.False(File.Exists(LedgerPath + "-wal"));
        Assert.Equal(1, RowCount());
    }

    private string LedgerPath => _directory.PathOf("usage.db");

    private UsageLedgerWriter Writer(int queueCapacity = 100)
    {
        var options = new GatewayOptions { Usage = { RetentionDays = 1, QueueCapacity = queueCapacity } };
        var location = new UsageLedgerLocation(options, functionsWorker: false, _directory.Path);
        var logger = new Logger<UsageLedgerWriter>(new LoggerFactory([_logs]));
        return new UsageLedgerWriter(location, Options.Create(options), _metrics.Metrics, _clock, logger);
    }

    /// <summary>Starts the writer and waits until it lingers over what is queued.</summary>
    private async Task StartAsync(UsageLedgerWriter writer)
    {
        await writer.StartAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync();
    }

    private RequestRecord Record(string? key, string? path, string? model, string? upstream)
    {
        var route = path is null ? null : MetricsHarness.Route(path);
        return new RequestRecord(_clock)
        {
            Route = route,
            Key = key is null ? null : new ApiKey(key, KeyHash.Compute("sk-" + key + "-0123456789")),
            RequestedModel = model,
            Upstream = upstream,
        };
    }

    private RequestRecord Finished()
    {
        var record = Record("alice", "/api/chat", "llama3.2", "default");
        record.Finish(200, clientAborted: false);
        return record;
    }

    private static UsageEntry Entry(DateTimeOffset time) =>
        new(time, "alice", "/api/chat", "llama3.2", "default", 200, RequestOutcome.Completed, null, 1, 1, false, 1.0, null);

    private IReadOnlyList<string> QueueFullCounts() =>
        [.. _logs.Entries.Where(entry => entry.EventId.Id == QueueFull && entry.Level == LogLevel.Warning).Select(entry => entry.Message[entry.Message.IndexOf('(', StringComparison.Ordinal)..^1])];

    private long RowCount()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM requests";
        return (long)command.ExecuteScalar()!;
    }

    private List<object?[]> Rows()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT time, key, route, model, upstream, status, outcome, reason, prompt_tokens, completion_tokens, estimated, duration_ms, ttfb_ms FROM requests ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={LedgerPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        // Not pooled: a pooled connection would keep the file open after the test's writer closed it.
        var connection = new SqliteConnection($"Data Source={LedgerPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>
    /// A fake clock that tells when the writer starts lingering: the linger is a timer on this clock, and advancing the
    /// clock before the timer exists would not release it.
    /// </summary>
    private sealed class LingerClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly SemaphoreSlim _timers = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Release();
            return timer;
        }

        /// <summary>Waits for the next timer the clock has not yet reported.</summary>
        public async Task WaitForTimerAsync()
        {
            if (!await _timers.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The writer never started lingering.");
            }
        }
    }
}
