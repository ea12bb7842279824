namespace OllamaGateway.Limits;

/// <summary>
/// The outcome of a limit check: granted (perhaps holding a concurrency slot until disposed) or refused with a wait,
/// by a rate or concurrency limit or by a spent token budget.
/// </summary>
internal readonly struct LimitLease : IDisposable
{
    private readonly IDisposable? _slot;

    private LimitLease(bool granted, IDisposable? slot, TimeSpan retryAfter, string? limit, bool budget)
    {
        IsGranted = granted;
        _slot = slot;
        RetryAfter = retryAfter;
        Limit = limit;
        IsBudgetSpent = budget;
    }

    public static LimitLease Granted => new(true, null, TimeSpan.Zero, null, false);

    public bool IsGranted { get; }

    /// <summary>Whether a token budget refused the request (rather than a rate or concurrency limit).</summary>
    public bool IsBudgetSpent { get; }

    /// <summary>How long the client should wait before trying again (for <c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Which limit refused the request, for the error message.</summary>
    public string? Limit { get; }

    /// <summary>A granted request holding <paramref name="slot"/> (a concurrency slot) until the lease is disposed.</summary>
    public static LimitLease Hold(IDisposable slot) => new(true, slot, TimeSpan.Zero, null, false);

    public static LimitLease Refused(TimeSpan retryAfter, string limit) => new(false, null, retryAfter, limit, false);

    /// <summary>A refusal by a spent token budget: <paramref name="window"/> is <c>tokens per minute</c> or <c>tokens per day</c>.</summary>
    public static LimitLease BudgetSpent(TimeSpan retryAfter, string window) => new(false, null, retryAfter, window, true);

    public void Dispose() => _slot?.Dispose();
}
