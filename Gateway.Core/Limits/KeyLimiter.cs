using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using OllamaGateway.Auth;

namespace OllamaGateway.Limits;

/// <summary>
/// Enforces each key's <see cref="KeyLimits"/>: requests per minute as a token bucket (a burst of the whole
/// minute's allowance, refilled one token at a time) and concurrent requests as a semaphore without a
/// queue. State lives in this instance's memory: N gateway instances allow N times the limit.
/// </summary>
internal sealed class KeyLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, Limiters> _byKey = new(StringComparer.Ordinal);

    /// <summary>Takes a permit for one request; the caller holds the returned lease until the answer is complete.</summary>
    public LimitLease Acquire(ApiKey key)
    {
        if (key.Limits == KeyLimits.None)
        {
            return LimitLease.Granted;
        }

        // Rebuilt when a reload changes the key's limits; leases taken on the old limiters release into them.
        var limiters = _byKey.AddOrUpdate(key.Name, static (_, limits) => new Limiters(limits), static (_, existing, limits) => existing.Limits == limits ? existing : new Limiters(limits), key.Limits);

        RateLimitLease? rate = null;
        if (limiters.Rate is not null)
        {
            rate = limiters.Rate.AttemptAcquire();
            if (!rate.IsAcquired)
            {
                var retryAfter = rate.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                rate.Dispose();
                return LimitLease.Refused(retryAfter, "requests per minute");
            }
        }

        if (limiters.Concurrency is not null)
        {
            var slot = limiters.Concurrency.AttemptAcquire();
            if (!slot.IsAcquired)
            {
                slot.Dispose();
                rate?.Dispose();
                return LimitLease.Refused(TimeSpan.FromSeconds(1), "concurrent requests");
            }

            return LimitLease.Hold(slot);
        }

        return LimitLease.Granted;
    }

    public void Dispose()
    {
        foreach (var limiters in _byKey.Values)
        {
            limiters.Dispose();
        }
    }

    private sealed class Limiters : IDisposable
    {
        public Limiters(KeyLimits limits)
        {
            Limits = limits;
            if (limits.RequestsPerMinute is int perMinute)
            {
                Rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            }

            if (limits.ConcurrentRequests is int concurrent)
            {
                Concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 });
            }
        }

        public KeyLimits Limits { get; }

        public RateLimiter? Rate { get; }

        public RateLimiter? Concurrency { get; }

        public void Dispose()
        {
            Rate?.Dispose();
            Concurrency?.Dispose();
        }
    }
}
