using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OllamaGateway.Usage.Ledger;

/// <summary>
/// The ledger's one INSERT, prepared once per connection and bound by position through SQLite's own API
/// (<c>SQLitePCL.raw</c>, the layer under <c>Microsoft.Data.Sqlite</c>). A row is written per finished request, so
/// this is the ledger's whole cost: binding through <see cref="SqliteCommand"/> looks each parameter up by name and
/// boxes each value, which doubled the CPU a row costs (bench: ~6 against ~3 us).
/// </summary>
internal sealed class LedgerInsertStatement : IDisposable
{
    private const string Sql = """
        INSERT INTO requests (time, key, route, model, upstream, status, outcome, reason, prompt_tokens, completion_tokens, estimated, duration_ms, ttfb_ms)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        """;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public LedgerInsertStatement(SqliteConnection connection)
    {
        // Stryker disable once all : unreachable, the ledger passes only its own open connection; a guard, not a message anyone reads
        _db = connection.Handle ?? throw new InvalidOperationException("The ledger's connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
    }

    /// <summary>Writes one row (inside the caller's transaction).</summary>
    public void Insert(UsageEntry entry)
    {
        try
        {
            Check(raw.sqlite3_bind_int64(_statement, 1, entry.Time.ToUnixTimeMilliseconds()));
            BindText(2, entry.Key);
            BindText(3, entry.Route);
            BindText(4, entry.Model);
            BindText(5, entry.Upstream);
            Check(raw.sqlite3_bind_int64(_statement, 6, entry.Status));
            BindText(7, RequestOutcomeNames.Of(entry.Outcome));
            BindText(8, entry.Reason);
            Check(raw.sqlite3_bind_int64(_statement, 9, entry.PromptTokens));
            Check(raw.sqlite3_bind_int64(_statement, 10, entry.CompletionTokens));
            Check(raw.sqlite3_bind_int64(_statement, 11, entry.Estimated ? 1 : 0));
            Check(raw.sqlite3_bind_double(_statement, 12, entry.DurationMs));
            Check(entry.TimeToFirstByteMs is { } ttfb ? raw.sqlite3_bind_double(_statement, 13, ttfb) : raw.sqlite3_bind_null(_statement, 13));
            var done = raw.sqlite3_step(_statement);
            if (done != raw.SQLITE_DONE)
            {
                Check(done);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    // A null string goes down as a NULL pointer, which SQLite binds as NULL (the writer's row test pins it).
    private void BindText(int index, string? text) => Check(raw.sqlite3_bind_text(_statement, index, text));

    // SQLite's errors as Microsoft.Data.Sqlite reports them, so the writer handles them as before.
    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);
}
