using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;

namespace OllamaGateway.Limits;

/// <summary>
/// Counts failed authentications per client address. Past the allowance, further failures from that address
/// are answered 429 instead of 401. A valid key is checked first and never throttled, so a flood of bad
/// guesses from a shared address cannot lock out its legitimate users. (A 256-bit key cannot be guessed
/// anyway; this bounds the work and the log noise a guesser causes.)
/// </summary>
internal sealed class AuthFailureThrottle(IOptions<GatewayOptions> options, TimeProvider time)
{
    // Addresses are swept of refilled buckets whenever their number doubles past this, so a guesser rotating through
    // addresses (an IPv6 prefix holds billions) costs memory only while its buckets are still draining.
    private const int SweepFloor = 1024;

    private readonly ConcurrentDictionary<IPAddress, RateBucket> _byAddress = new();
    private readonly int _perMinute = options.Value.FailedAuthPerMinute;
    private int _sweepAt = SweepFloor;

    /// <summary>Records a failure; returns the wait to announce when this address has failed too often.</summary>
    public TimeSpan? RecordFailure(IPAddress? address)
    {
        var bucket = _byAddress.GetOrAdd(address ?? IPAddress.None, static (_, self) => self.NewBucket(), this);
        return bucket.TryTake(out var retryAfter) ? null : retryAfter;
    }

    /// <summary>How many addresses have a bucket that is still draining or was not swept yet.</summary>
    internal int TrackedAddresses => _byAddress.Count;

    private RateBucket NewBucket()
    {
        if (_byAddress.Count >= Volatile.Read(ref _sweepAt))
        {
            Sweep();
        }

        return new RateBucket(_perMinute, time);
    }

    private void Sweep()
    {
        foreach (var (address, bucket) in _byAddress)
        {
            if (bucket.IsFull)
            {
                _byAddress.TryRemove(new KeyValuePair<IPAddress, RateBucket>(address, bucket));
            }
        }

        Volatile.Write(ref _sweepAt, Math.Max(SweepFloor, _byAddress.Count * 2));
    }
}
