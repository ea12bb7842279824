using System.Collections.Concurrent;
using OllamaGateway.Auth;

namespace OllamaGateway.Limits;

/// <summary>
/// Token budgets in this instance's memory. The minute window is the clock's minute (UTC), the day window the UTC
/// calendar day: a spent window frees at the next minute or midnight, which is what <c>Retry-After</c> says. Windows
/// are kept per key name, only for keys that have a budget.
/// </summary>
internal sealed class InProcessTokenBudget(TimeProvider time) : ITokenBudget
{
    private readonly ConcurrentDictionary<string, Windows> _byKey = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<TokenBudgetVerdict?> CheckAsync(ApiKey key, CancellationToken cancellationToken)
    {
        var limits = key.Limits;
        if (!limits.HasTokenBudget || !_byKey.TryGetValue(key.Name, out var windows))
        {
            return ValueTask.FromResult<TokenBudgetVerdict?>(null);
        }

        var now = time.GetUtcNow();
        var (minute, day) = windows.Read(now);
        if (limits.TokensPerMinute is { } perMinute && minute >= perMinute)
        {
            return ValueTask.FromResult<TokenBudgetVerdict?>(new("tokens per minute", TokenWindows.MinuteStart(now).AddMinutes(1) - now));
        }

        if (limits.TokensPerDay is { } perDay && day >= perDay)
        {
            return ValueTask.FromResult<TokenBudgetVerdict?>(new("tokens per day", TokenWindows.DayStart(now).AddDays(1) - now));
        }

        return ValueTask.FromResult<TokenBudgetVerdict?>(null);
    }

    /// <inheritdoc/>
    public void Spend(ApiKey key, long tokens)
    {
        if (tokens <= 0 || !key.Limits.HasTokenBudget)
        {
            return;
        }

        _byKey.GetOrAdd(key.Name, static _ => new Windows()).Add(time.GetUtcNow(), tokens);
    }

    /// <summary>How many keys have windows kept: only those with a budget that spent tokens.</summary>
    internal int TrackedKeys => _byKey.Count;

    private sealed class Windows
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _minute;
        private long _minuteTokens;
        private DateTimeOffset _day;
        private long _dayTokens;

        public void Add(DateTimeOffset now, long tokens)
        {
            lock (_lock)
            {
                Roll(now);
                _minuteTokens += tokens;
                _dayTokens += tokens;
            }
        }

        public (long Minute, long Day) Read(DateTimeOffset now)
        {
            lock (_lock)
            {
                Roll(now);
                return (_minuteTokens, _dayTokens);
            }
        }

        private void Roll(DateTimeOffset now)
        {
            var minute = TokenWindows.MinuteStart(now);
            if (minute != _minute)
            {
                (_minute, _minuteTokens) = (minute, 0);
            }

            var day = TokenWindows.DayStart(now);
            if (day != _day)
            {
                (_day, _dayTokens) = (day, 0);
            }
        }
    }
}
