using System.Net;
using OllamaGateway.Auth;
using OllamaGateway.Usage;

namespace OllamaGateway.Limits;

/// <summary>
/// The limits in this instance's memory: the rate and concurrency limiter, the token budget and the failed-authentication
/// throttle. N instances allow N times each limit. The default without Redis, and the fallback while Redis is unavailable.
/// </summary>
internal sealed class InProcessKeyLimits(KeyLimiter limiter, ITokenBudget budget, AuthFailureThrottle throttle) : IKeyLimits
{
    /// <inheritdoc/>
    public ValueTask<LimitLease> AcquireAsync(ApiKey key, bool inference, RequestRecord record, CancellationToken cancellationToken) =>
        inference && key.Limits.HasTokenBudget ? AcquireWithBudgetAsync(key, cancellationToken) : ValueTask.FromResult(limiter.Acquire(key));

    /// <inheritdoc/>
    public ValueTask<TimeSpan?> RecordAuthFailureAsync(IPAddress? address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(throttle.RecordFailure(address));

    /// <summary>The synchronous form, for the fallback path of a shared store.</summary>
    public LimitLease Acquire(ApiKey key, bool inference)
    {
        var lease = limiter.Acquire(key);
        if (!lease.IsGranted || !inference || !key.Limits.HasTokenBudget)
        {
            return lease;
        }

        var check = budget.CheckAsync(key, CancellationToken.None);
        // Stryker disable once all : the first branch is the no-allocation path for a completed check; both give the same verdict
        var spent = check.IsCompletedSuccessfully ? check.Result : check.AsTask().GetAwaiter().GetResult();
        if (spent is null)
        {
            return lease;
        }

        lease.Dispose();
        return LimitLease.BudgetSpent(spent.RetryAfter, spent.Window);
    }

    private async ValueTask<LimitLease> AcquireWithBudgetAsync(ApiKey key, CancellationToken cancellationToken)
    {
        var lease = limiter.Acquire(key);
        if (!lease.IsGranted)
        {
            return lease;
        }

        if (await budget.CheckAsync(key, cancellationToken) is { } spent)
        {
            lease.Dispose();
            return LimitLease.BudgetSpent(spent.RetryAfter, spent.Window);
        }

        return lease;
    }
}
