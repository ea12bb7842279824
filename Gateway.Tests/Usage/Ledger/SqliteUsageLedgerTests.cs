using Microsoft.Data.Sqlite;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Tests.Usage.Ledger;

public sealed class SqliteUsageLedgerTests : IDisposable
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static UsageEntry Entry(string? key, string? model, DateTimeOffset time, long prompt, long completion, RequestOutcome outcome = RequestOutcome.Completed) =>
        new(time, key, "/api/chat", model, "default", outcome == RequestOutcome.Refused ? 403 : 200, outcome, null, prompt, completion, false, 12.5, 3.0);

    private SqliteUsageLedger Filled()
    {
        var ledger = SqliteUsageLedger.OpenForWriting(_directory.PathOf("usage.db"));
        ledger.Append(
        [
            Entry("alice", "llama3.2", s_day.AddHours(1), 10, 20),
            Entry("alice", "llama3.2", s_day.AddHours(1).AddMinutes(30), 5, 5),
            Entry("alice", "qwen3:8b", s_day.AddHours(2), 1, 2),
            Entry("bob", "llama3.2", s_day.AddDays(1).AddHours(3), 100, 200),
            Entry("bob", "llama3.2", s_day.AddDays(1).AddHours(3), 0, 0, RequestOutcome.Refused),
            Entry(null, null, s_day.AddDays(1), 0, 0, RequestOutcome.Refused),
        ]);
        return ledger;
    }

    private static UsageQuery Query(params UsageGrouping[] by) => new(s_day, s_day.AddDays(2), null, null, by);

    [Fact]
    public async Task GroupedByKeyAndModel_SumsEachGroup_AndTotalsEverything()
    {
        using var ledger = Filled();

        var report = await ledger.QueryAsync(Query(UsageGrouping.Key, UsageGrouping.Model), CancellationToken.None);

        Assert.Equal(
        [
            new UsageRow(null, null, null, new UsageCounters(1, 0, 0, 1)),
            new UsageRow("alice", "llama3.2", null, new UsageCounters(2, 15, 25, 0)),
            new UsageRow("alice", "qwen3:8b", null, new UsageCounters(1, 1, 2, 0)),
            new UsageRow("bob", "llama3.2", null, new UsageCounters(2, 100, 200, 1)),
        ], report.Rows);
        Assert.Equal(new UsageCounters(6, 116, 227, 2), report.Totals);
    }

    [Fact]
    public async Task GroupedByDayAndHour_StartAtUtcBoundaries()
    {
        using var ledger = Filled();

        var days = await ledger.QueryAsync(Query(UsageGrouping.Day), CancellationToken.None);
        var hours = await ledger.QueryAsync(Query(UsageGrouping.Key, UsageGrouping.Hour) with { Key = "alice" }, CancellationToken.None);

        Assert.Equal([s_day, s_day.AddDays(1)], days.Rows.Select(row => row.Period));
        Assert.Equal([3L, 3L], days.Rows.Select(row => row.Counters.Requests));
        Assert.Equal([s_day.AddHours(1), s_day.AddHours(2)], hours.Rows.Select(row => row.Period));
        Assert.Equal(2, hours.Rows[0].Counters.Requests);
    }

    [Fact]
    public async Task Filters_KeyModelGlobAndPeriod()
    {
        using var ledger = Filled();

        var byModel = await ledger.QueryAsync(Query(UsageGrouping.Key) with { Model = "qwen3*" }, CancellationToken.None);
        var firstDay = await ledger.QueryAsync(Query() with { Until = s_day.AddDays(1) }, CancellationToken.None);
        var bob = await ledger.QueryAsync(Query() with { Key = "bob" }, CancellationToken.None);

        Assert.Equal([new UsageRow("alice", null, null, new UsageCounters(1, 1, 2, 0))], byModel.Rows);
        Assert.Equal(3, firstDay.Totals.Requests);
        Assert.Empty(firstDay.Rows);
        Assert.Equal(new UsageCounters(2, 100, 200, 1), bob.Totals);
    }

    [Fact]
    public async Task Prune_RemovesOnlyRowsBeforeTheCutoff()
    {
        using var ledger = Filled();

        var removed = ledger.Prune(s_day.AddDays(1));
        var report = await ledger.QueryAsync(Query(), CancellationToken.None);

        Assert.Equal(3, removed);
        Assert.Equal(3, report.Totals.Requests);
    }

    [Fact]
    public async Task ReadOnlyOpen_SeesWhatTheWriterWrote()
    {
        using var writer = Filled();
        using var reader = SqliteUsageLedger.OpenForReading(_directory.PathOf("usage.db"));

        Assert.Equal(6, (await reader.QueryAsync(Query(), CancellationToken.None)).Totals.Requests);
    }

    [Fact]
    public void NoLedgerYet_IsAClearError() =>
        Assert.Throws<FileNotFoundException>(() => SqliteUsageLedger.OpenForReading(_directory.PathOf("missing.db")));

    [Fact]
    public async Task ReportOverNoRows_IsAllZeros()
    {
        using var ledger = Filled();

        // SQL's SUM over no rows is NULL: the report says 0.
        var report = await ledger.QueryAsync(Query(UsageGrouping.Key) with { Since = s_day.AddDays(5), Until = s_day.AddDays(6) }, CancellationToken.None);

        Assert.Empty(report.Rows);
        Assert.Equal(new UsageCounters(0, 0, 0, 0), report.Totals);
    }

    [Fact]
    public async Task CancelledReport_StopsReadingRows()
    {
        using var ledger = Filled();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => ledger.QueryAsync(Query(UsageGrouping.Key), cancelled.Token));
    }

    [Fact]
    public async Task Query_WithoutAQuery_ThrowsArgumentNullException()
    {
        using var ledger = Filled();

        await Assert.ThrowsAsync<ArgumentNullException>(() => ledger.QueryAsync(null!, CancellationToken.None));
    }

    [Fact]
    public void ReadOnlyOpen_RefusesWrites()
    {
        using var writer = Filled();
        using var reader = SqliteUsageLedger.OpenForReading(_directory.PathOf("usage.db"));

        // A report (the usage command) can never change the ledger it reads.
        var append = Assert.Throws<SqliteException>(() => reader.Append([Entry("carol", "llama3.2", s_day, 1, 1)]));
        var prune = Assert.Throws<SqliteException>(() => reader.Prune(s_day.AddDays(3)));

        Assert.Equal(SQLitePCL.raw.SQLITE_READONLY, append.SqliteErrorCode);
        Assert.Equal(SQLitePCL.raw.SQLITE_READONLY, prune.SqliteErrorCode);
    }

    [Fact]
    public void OpenForWriting_CreatesTheFilesFolder()
    {
        var path = System.IO.Path.Combine(_directory.Path, "state", "ledger", "usage.db");

        using var ledger = SqliteUsageLedger.OpenForWriting(path);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Dispose_ClosesTheFile_AfterBatchesAndReports()
    {
        var path = _directory.PathOf("usage.db");
        var ledger = Filled();
        ledger.Append([Entry("carol", "llama3.2", s_day, 1, 1)]);
        Assert.Equal(7, (await ledger.QueryAsync(Query(UsageGrouping.Key), CancellationToken.None)).Totals.Requests);
        Assert.True(File.Exists(path + "-wal"));

        ledger.Dispose();

        // No connection and no statement left open: the last connection checkpoints the write-ahead log into the file
        // and deletes it, so the ledger is one file to copy or move once the gateway stops.
        Assert.False(File.Exists(path + "-wal"));
    }
}
