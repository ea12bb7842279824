namespace OllamaGateway.Limits;

/// <summary>
/// The outcome of a limit check: granted (perhaps holding a concurrency slot until disposed) or refused with a wait,
/// by a rate or concurrency limit or by a spent token budget.
/// </summary>
internal readonly struct LimitLease : IDisposable
{
    private readonly IDisposable? _slot;

    private LimitLease(IDisposable? slot, TimeSpan retryAfter = default, string? limit = null, bool budget = false)
    {
        _slot = slot;
        RetryAfter = retryAfter;
        Limit = limit;
        IsBudgetSpent = budget;
    }

    public static LimitLease Granted => default;

    /// <summary>Whether the request may go on: every refusal names the limit that refused it.</summary>
    public bool IsGranted => Limit is null;

    /// <summary>Whether a token budget refused the request (rather than a rate or concurrency limit).</summary>
    public bool IsBudgetSpent { get; }

    /// <summary>How long the client should wait before trying again (for <c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Which limit refused the request, for the error message.</summary>
    public string? Limit { get; }

    /// <summary>A granted request holding <paramref name="slot"/> (a concurrency slot, if any) until the lease is disposed.</summary>
    public static LimitLease Hold(IDisposable? slot) => new(slot);

    public static LimitLease Refused(TimeSpan retryAfter, string limit) => new(null, retryAfter, limit);

    /// <summary>A refusal by a spent token budget: <paramref name="window"/> is <c>tokens per minute</c> or <c>tokens per day</c>.</summary>
    public static LimitLease BudgetSpent(TimeSpan retryAfter, string window) => new(null, retryAfter, window, budget: true);

    public void Dispose() => _slot?.Dispose();
}
