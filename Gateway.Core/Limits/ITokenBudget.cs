using OllamaGateway.Auth;

namespace OllamaGateway.Limits;

/// <summary>
/// Per-key token budgets (<see cref="KeyLimits.TokensPerMinute"/>, <see cref="KeyLimits.TokensPerDay"/>): whether a
/// key may start another inference request, and the tokens its finished requests spent. The embedded default counts in
/// this instance's memory; a shared store makes the budget hold across instances.
/// </summary>
internal interface ITokenBudget
{
    /// <summary>
    /// Null when <paramref name="key"/> may start a request now; otherwise how long until its spent window frees. A
    /// request in flight when the budget is crossed finishes: only the next one is refused.
    /// </summary>
    ValueTask<TokenBudgetVerdict?> CheckAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>Adds the prompt and completion tokens of a finished request to the key's windows.</summary>
    void Spend(ApiKey key, long tokens);
}
