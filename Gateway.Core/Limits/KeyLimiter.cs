using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using OllamaGateway.Auth;

namespace OllamaGateway.Limits;

/// <summary>
/// Enforces each key's <see cref="KeyLimits"/> in this instance's memory: requests per minute as a <see cref="RateBucket"/>
/// (a burst of the whole minute's allowance, then one request per minute / N) and concurrent requests as a semaphore
/// without a queue. N gateway instances allow N times the limit (see <c>RedisKeyLimits</c> for limits shared by all).
/// </summary>
internal sealed class KeyLimiter(TimeProvider time) : IDisposable
{
    // A concurrency refusal is answered "try again in a second": nothing says when a running request ends.
    private static readonly TimeSpan s_concurrencyRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Limiters> _byKey = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes a permit for one request; the caller holds the returned lease until the answer is complete. A refused
    /// request spends nothing: neither a rate permit nor a slot.
    /// </summary>
    public LimitLease Acquire(ApiKey key)
    {
        if (key.Limits == KeyLimits.None)
        {
            return LimitLease.Granted;
        }

        // Rebuilt when a reload changes the key's limits; leases taken on the old limiters release into them.
        var limiters = _byKey.AddOrUpdate(key.Name, static (_, state) => new Limiters(state.Limits, state.time), static (_, existing, state) => existing.Limits == state.Limits ? existing : new Limiters(state.Limits, state.time), (key.Limits, time));

        RateLimitLease? slot = null;
        if (limiters.Concurrency is not null)
        {
            slot = limiters.Concurrency.AttemptAcquire();
            if (!slot.IsAcquired)
            {
                // Stryker disable once all : a refused lease holds nothing; disposed as RateLimiter's contract asks
                slot.Dispose();
                return LimitLease.Refused(s_concurrencyRetry, "concurrent requests");
            }
        }

        if (limiters.Rate is not null && !limiters.Rate.TryTake(out var retryAfter))
        {
            slot?.Dispose();
            return LimitLease.Refused(retryAfter, "requests per minute");
        }

        return LimitLease.Hold(slot);
    }

    public void Dispose()
    {
        // Stryker disable once all : disposing fails queued waiters, and with no queue (QueueLimit 0) there are none
        foreach (var limiters in _byKey.Values)
        {
            limiters.Concurrency?.Dispose();
        }
    }

    private sealed class Limiters(KeyLimits limits, TimeProvider time)
    {
        public KeyLimits Limits { get; } = limits;

        public RateBucket? Rate { get; } = limits.RequestsPerMinute is int perMinute ? new RateBucket(perMinute, time) : null;

        public ConcurrencyLimiter? Concurrency { get; } = limits.ConcurrentRequests is int concurrent
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 })
            : null;
    }
}
