using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using OllamaGateway.Policy;

namespace OllamaGateway.Usage.Ledger;

/// <summary>
/// The embedded usage ledger: one SQLite file, one row per finished request, indexed for reports by time and by key
/// and time (a model filter is a glob, matched by a function, which no index could serve; every index costs each
/// insert a B-tree write, the ledger's main cost per request). The gateway writes it from one background writer (<see cref="UsageLedgerWriter"/>); the <c>usage</c> command
/// and <c>GET /gateway/usage</c> read it. SQLite's write-ahead log lets a report read while the gateway writes. One
/// gateway instance per file: several instances (Azure Functions) must never share one SQLite file, above all not on a
/// network share.
/// </summary>
public sealed class SqliteUsageLedger : IUsageReportSource, IDisposable
{
    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    private readonly Lock _writeLock = new();
    private SqliteConnection? _writer;
    private LedgerInsertStatement? _insert;

    private SqliteUsageLedger(string path, bool readOnly)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
    }

    /// <summary>The ledger file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the ledger for writing, creating the file and its schema when missing. Throws
    /// <see cref="SqliteException"/> or <see cref="IOException"/> when the location cannot be written: the gateway
    /// reports that at start-up, not on a request.
    /// </summary>
    public static SqliteUsageLedger OpenForWriting(string path)
    {
        new FileInfo(path).Directory?.Create(); // no folder above a root: opening it fails below, as SQLite's error

        var ledger = new SqliteUsageLedger(path, readOnly: false);
        ledger.Initialise();
        return ledger;
    }

    /// <summary>Opens an existing ledger for reports; throws <see cref="FileNotFoundException"/> when there is none.</summary>
    public static SqliteUsageLedger OpenForReading(string path) =>
        File.Exists(path) ? new SqliteUsageLedger(path, readOnly: true) : throw new FileNotFoundException($"No usage ledger at '{path}'.", path);

    /// <summary>Writes a batch of rows in one transaction.</summary>
    internal void Append(IReadOnlyList<UsageEntry> entries)
    {
        lock (_writeLock)
        {
            var connection = Writer();
            using var transaction = connection.BeginTransaction();
            _insert ??= new LedgerInsertStatement(connection);
            foreach (var entry in entries)
            {
                _insert.Insert(entry);
            }

            transaction.Commit();
        }
    }

    /// <summary>Deletes the rows older than <paramref name="before"/>; returns how many.</summary>
    internal int Prune(DateTimeOffset before)
    {
        lock (_writeLock)
        {
            using var command = Writer().CreateCommand();
            command.CommandText = "DELETE FROM requests WHERE time < $before";
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc/>
    public Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        ModelMatch.Register(connection, query.Model);
        var rows = new List<UsageRow>();
        if (query.By.Count > 0)
        {
            using var command = connection.CreateCommand();
            command.CommandText = UsageSql.Rows(query);
            UsageSql.Bind(command, query);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows.Add(ReadRow(reader, query.By));
            }
        }

        using var totals = connection.CreateCommand();
        totals.CommandText = UsageSql.Totals();
        UsageSql.Bind(totals, query);
        using var totalsReader = totals.ExecuteReader();
        totalsReader.Read();
        return Task.FromResult(new UsageReport(query, rows, ReadCounters(totalsReader, 0)));
    }

    /// <summary>Closes the writing connection.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            _insert?.Dispose();
            _insert = null;
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static UsageRow ReadRow(SqliteDataReader reader, IReadOnlyList<UsageGrouping> by)
    {
        string? key = null;
        string? model = null;
        DateTimeOffset? period = null;
        for (var i = 0; i < by.Count; i++)
        {
            switch (by[i])
            {
                case UsageGrouping.Key:
                    key = reader.IsDBNull(i) ? null : reader.GetString(i);
                    break;
                case UsageGrouping.Model:
                    model = reader.IsDBNull(i) ? null : reader.GetString(i);
                    break;
                default:
                    period = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
                    break;
            }
        }

        return new UsageRow(key, model, period, ReadCounters(reader, by.Count));
    }

    // COUNT(*) is never NULL; a SUM over no rows is.
    private static UsageCounters ReadCounters(SqliteDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.IsDBNull(first + 1) ? 0 : reader.GetInt64(first + 1),
        reader.IsDBNull(first + 2) ? 0 : reader.GetInt64(first + 2),
        reader.IsDBNull(first + 3) ? 0 : reader.GetInt64(first + 3));

    private SqliteConnection Writer()
    {
        if (_writer is null)
        {
            _writer = new SqliteConnection(_connectionString);
            _writer.Open();
        }

        return _writer;
    }

    private void Initialise()
    {
        lock (_writeLock)
        {
            using var command = Writer().CreateCommand();
            command.CommandText = $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS requests (
                    id INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    key TEXT,
                    route TEXT,
                    model TEXT,
                    upstream TEXT,
                    status INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    reason TEXT,
                    prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL,
                    estimated INTEGER NOT NULL,
                    duration_ms REAL NOT NULL,
                    ttfb_ms REAL);
                CREATE INDEX IF NOT EXISTS requests_time ON requests (time);
                CREATE INDEX IF NOT EXISTS requests_key_time ON requests (key, time);
                PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)};
                """;
            command.ExecuteNonQuery();
        }
    }
}
