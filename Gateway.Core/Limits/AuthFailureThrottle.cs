using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;

namespace OllamaGateway.Limits;

/// <summary>
/// Counts failed authentications per client address. Past the allowance, further failures from that address
/// are answered 429 instead of 401. A valid key is checked first and never throttled, so a flood of bad
/// guesses from a shared address cannot lock out its legitimate users. (A 256-bit key cannot be guessed
/// anyway; this bounds the work and the log noise a guesser causes.)
/// </summary>
internal sealed class AuthFailureThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public AuthFailureThrottle(IOptions<GatewayOptions> options)
    {
        var perMinute = options.Value.FailedAuthPerMinute;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Records a failure; returns the wait to announce when this address has failed too often.</summary>
    public TimeSpan? RecordFailure(IPAddress? address)
    {
        using var lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(3);
    }

    public void Dispose() => _limiter.Dispose();
}
