using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Usage.Metrics;

namespace OllamaGateway.Usage.Ledger;

/// <summary>
/// Writes every finished request to the ledger off the request path: <see cref="OnFinished"/> only queues a row in a
/// bounded queue; one background loop takes what has queued and writes it in one transaction. A full queue drops the
/// row, counts it and logs it (once a minute at most), never silently; a write that fails is logged and counted and the
/// requests go on. Stopping the host drains the queue first, so a graceful shutdown loses nothing. Old rows are pruned
/// at start and every hour (<c>Gateway:Usage:RetentionDays</c>).
/// </summary>
internal sealed partial class UsageLedgerWriter : BackgroundService, IRequestRecordSink
{
    private const int MaxBatch = 512;

    // A transaction commit costs tens of microseconds whatever it holds: waiting a moment after the first row lets a
    // busy gateway write hundreds of rows per commit instead of one or two (bench: ~50 us of CPU per row alone, ~6 in
    // batches). Reports see a row at most this much later.
    private static readonly TimeSpan s_linger = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_pruneEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_dropLogEvery = TimeSpan.FromMinutes(1);

    private readonly SqliteUsageLedger _ledger;
    private readonly Channel<UsageEntry> _queue;
    private readonly TimeSpan _retention;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageLedgerWriter> _logger;
    private long _dropped;
    private long _failed;
    private long _lastDropLog = long.MinValue;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public UsageLedgerWriter(UsageLedgerLocation location, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<UsageLedgerWriter> logger)
    {
        var usage = options.Value.Usage;
        try
        {
            _ledger = SqliteUsageLedger.OpenForWriting(location.Path);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            // A ledger that cannot be written is found at start-up, with the setting to change, never on a request.
            throw new UsageLedgerException($"Gateway:Usage:Path: cannot write the usage ledger '{location.Path}' ({ex.Message}). Point Gateway:Usage:Path at a writable file, or set Gateway:Usage:Enabled=false.", ex);
        }

        // BoundedChannelFullMode.Wait, the default: TryWrite fails when full instead of evicting a queued row.
        _queue = Channel.CreateBounded<UsageEntry>(usage.QueueCapacity);
        _retention = TimeSpan.FromDays(usage.RetentionDays);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.ObserveLedgerQueue(() => QueueDepth);
    }

    /// <summary>Rows waiting to be written.</summary>
    public long QueueDepth => _queue.Reader.Count;

    /// <summary>Rows dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Rows that could not be written.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The ledger the rows go to.</summary>
    public SqliteUsageLedger Ledger => _ledger;

    /// <inheritdoc/>
    public void OnFinished(RequestRecord record)
    {
        if (_queue.Writer.TryWrite(UsageEntry.From(record)))
        {
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        _metrics.LedgerDropped(1);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropLog);
        if ((last == long.MinValue || _time.GetElapsedTime(last, now) >= s_dropLogEvery) && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            Log.QueueFull(_logger, dropped);
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // No more rows; the loop writes what is queued and ends.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        // Stryker disable once all : only cancels the stopping token, which the host has cancelled in StopAsync already
        base.Dispose();
        _ledger.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Prune();
        var batch = new List<UsageEntry>(MaxBatch);

        // The loop ends when the queue is completed and empty (StopAsync), not on the stopping token: a shutdown must
        // drain what is queued. The host's own shutdown timeout bounds it.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (_queue.Reader.Count < MaxBatch && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(s_linger, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: write what is queued now.
                }
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            Write(batch);
            batch.Clear();
            if (_time.GetUtcNow() - _lastPrune >= s_pruneEvery)
            {
                Prune();
            }
        }
    }

    private void Write(List<UsageEntry> batch)
    {
        try
        {
            _ledger.Append(batch);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            var failed = Interlocked.Add(ref _failed, batch.Count);
            Log.WriteFailed(_logger, batch.Count, failed, _ledger.Path, ex);
        }
    }

    private void Prune()
    {
        _lastPrune = _time.GetUtcNow();
        try
        {
            var removed = _ledger.Prune(_lastPrune - _retention);
            if (removed > 0)
            {
                Log.Pruned(_logger, removed);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            Log.PruneFailed(_logger, _ledger.Path, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(5010, LogLevel.Warning, "The usage ledger's queue is full: requests are not being recorded ({Dropped} dropped so far).", EventName = "LedgerQueueFull")]
        public static partial void QueueFull(ILogger logger, long dropped);

        [LoggerMessage(5011, LogLevel.Error, "Could not write {Count} rows to the usage ledger {Path} ({Failed} lost so far).", EventName = "LedgerWriteFailed")]
        public static partial void WriteFailed(ILogger logger, int count, long failed, string path, Exception exception);

        [LoggerMessage(5012, LogLevel.Information, "Pruned {Count} usage rows past their retention.", EventName = "LedgerPruned")]
        public static partial void Pruned(ILogger logger, int count);

        [LoggerMessage(5013, LogLevel.Warning, "Could not prune the usage ledger {Path}.", EventName = "LedgerPruneFailed")]
        public static partial void PruneFailed(ILogger logger, string path, Exception exception);
    }
}
