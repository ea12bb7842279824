using System.Globalization;
using OllamaGateway.Policy;
using OllamaGateway.Usage;
using StackExchange.Redis;

namespace OllamaGateway.SharedState;

/// <summary>
/// Usage reports from the counters every instance keeps in Redis (per key, model and UTC hour), so
/// <c>GET /gateway/usage</c> on any instance and the <c>usage</c> command pointed at the same Redis report all instances
/// together. Counters are hourly: an hour is counted when it overlaps the period asked for. Requests without a valid
/// key are not counted here (the per-instance ledger has them).
/// </summary>
internal sealed class RedisUsageReportSource : IUsageReportSource, IDisposable
{
    private readonly Func<IDatabase?> _database;
    private readonly RedisKeyNames _names;
    private readonly IDisposable? _owned;

    /// <summary>Reads through the gateway's own connection.</summary>
    public RedisUsageReportSource(RedisConnection connection)
        : this(() => connection.Database, connection.Names, owned: null)
    {
    }

    private RedisUsageReportSource(Func<IDatabase?> database, RedisKeyNames names, IDisposable? owned)
    {
        _database = database;
        _names = names;
        _owned = owned;
    }

    /// <summary>
    /// Connects for one report (the <c>usage</c> command); throws <see cref="IOException"/> when Redis cannot be reached.
    /// </summary>
    public static RedisUsageReportSource Connect(string configuration, string keyPrefix)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = true;
        options.ClientName ??= "ollama-gateway-usage";
        try
        {
            var multiplexer = ConnectionMultiplexer.Connect(options);
            var database = multiplexer.GetDatabase();
            return new RedisUsageReportSource(() => database, new RedisKeyNames(keyPrefix), multiplexer);
        }
        catch (RedisConnectionException ex)
        {
            // The failure type only: the message can carry the configuration.
            throw new IOException($"Cannot connect to Redis (Gateway:Redis:Configuration): {ex.FailureType}.", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var database = _database() ?? throw new IOException("Redis is not connected.");
        try
        {
            return await ReadAsync(database, query, cancellationToken);
        }
        catch (RedisException ex)
        {
            throw new IOException($"Cannot read usage from Redis ({ex.GetType().Name}).", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _owned?.Dispose();

    private async Task<UsageReport> ReadAsync(IDatabase database, UsageQuery query, CancellationToken cancellationToken)
    {
        string[] keyNames = query.Key is { } only
            ? [only]
            : [.. (await database.SetMembersAsync(_names.UsageKeyNames)).Select(member => member.ToString())];

        // Hours that overlap [since, until): an hour starting before since still counts.
        var first = query.Since.ToUnixTimeSeconds() - 3599;
        var last = query.Until.ToUnixTimeSeconds();
        var hoursByKey = await Task.WhenAll(keyNames.Select(name =>
            database.SortedSetRangeByScoreAsync(_names.UsageHours(name), first, last, Exclude.Stop)));
        var reads = new List<(string Key, DateTimeOffset Hour, Task<HashEntry[]> Fields)>();
        for (var i = 0; i < keyNames.Length; i++)
        {
            foreach (var member in hoursByKey[i])
            {
                var hour = DateTimeOffset.FromUnixTimeSeconds(long.Parse(member.ToString(), CultureInfo.InvariantCulture));
                reads.Add((keyNames[i], hour, database.HashGetAllAsync(_names.UsageHour(keyNames[i], hour))));
            }
        }

        await Task.WhenAll(reads.Select(read => read.Fields));
        cancellationToken.ThrowIfCancellationRequested();
        var access = query.Model is null ? null : ModelAccess.FromPatterns([query.Model]);
        var byHour = query.By.Contains(UsageGrouping.Hour);
        var byDay = !byHour && query.By.Contains(UsageGrouping.Day);
        var groups = new Dictionary<(string? Key, string? Model, DateTimeOffset? Period), UsageCounters>();
        var totals = UsageCounters.Zero;
        foreach (var (key, hour, fields) in reads)
        {
            foreach (var (model, counters) in Counters(fields.Result))
            {
                if (access is not null && (model is null || !access.Allows(model)))
                {
                    continue;
                }

                totals = totals.Add(counters);
                if (query.By.Count == 0)
                {
                    continue;
                }

                DateTimeOffset? period = byHour ? hour : byDay ? new DateTimeOffset(hour.UtcDateTime.Date, TimeSpan.Zero) : null;
                var group = (query.By.Contains(UsageGrouping.Key) ? key : null, query.By.Contains(UsageGrouping.Model) ? model : null, period);
                groups[group] = groups.TryGetValue(group, out var sum) ? sum.Add(counters) : counters;
            }
        }

        var rows = groups.Select(group => new UsageRow(group.Key.Key, group.Key.Model, group.Key.Period, group.Value)).ToList();
        rows.Sort((a, b) => Compare(a, b, query.By));
        return new UsageReport(query, rows, totals);
    }

    // Fields are "r|model", "p|model", "c|model" and "e|model": requests, prompt tokens, completion tokens, errors.
    private static IEnumerable<(string? Model, UsageCounters Counters)> Counters(HashEntry[] fields)
    {
        var byModel = new Dictionary<string, UsageCounters>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var name = field.Name.ToString();
            if (name.Length < 2 || name[1] != '|' || !field.Value.TryParse(out long value))
            {
                continue;
            }

            var model = name[2..];
            var counters = byModel.TryGetValue(model, out var existing) ? existing : UsageCounters.Zero;
            byModel[model] = name[0] switch
            {
                'r' => counters with { Requests = counters.Requests + value },
                'p' => counters with { PromptTokens = counters.PromptTokens + value },
                'c' => counters with { CompletionTokens = counters.CompletionTokens + value },
                'e' => counters with { Errors = counters.Errors + value },
                _ => counters,
            };
        }

        return byModel.Select(entry => (entry.Key.Length == 0 ? null : entry.Key, entry.Value));
    }

    // The ledger's order: by each grouping in turn; a missing model first.
    private static int Compare(UsageRow a, UsageRow b, IReadOnlyList<UsageGrouping> by)
    {
        foreach (var grouping in by)
        {
            var order = grouping switch
            {
                UsageGrouping.Key => string.CompareOrdinal(a.Key, b.Key),
                UsageGrouping.Model => string.CompareOrdinal(a.Model, b.Model),
                _ => Nullable.Compare(a.Period, b.Period),
            };
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }
}
