using System.Threading.RateLimiting;

namespace OllamaGateway.Limits;

/// <summary>The outcome of a limit check: granted (perhaps holding a concurrency slot until disposed) or refused with a wait.</summary>
internal readonly struct LimitLease : IDisposable
{
    private readonly RateLimitLease? _slot;

    private LimitLease(bool granted, RateLimitLease? slot, TimeSpan retryAfter, string? limit)
    {
        IsGranted = granted;
        _slot = slot;
        RetryAfter = retryAfter;
        Limit = limit;
    }

    public static LimitLease Granted => new(true, null, TimeSpan.Zero, null);

    public bool IsGranted { get; }

    /// <summary>How long the client should wait before trying again (for <c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Which limit refused the request, for the error message.</summary>
    public string? Limit { get; }

    public static LimitLease Hold(RateLimitLease slot) => new(true, slot, TimeSpan.Zero, null);

    public static LimitLease Refused(TimeSpan retryAfter, string limit) => new(false, null, retryAfter, limit);

    public void Dispose() => _slot?.Dispose();
}
