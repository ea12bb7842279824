namespace OllamaGateway.SharedState;

/// <summary>
/// Counts of finished requests in one <see cref="UsageBucket"/>, and the tokens they charge to the key's budget (zero
/// for a key without one).
/// </summary>
internal readonly record struct UsageTally(long Requests, long PromptTokens, long CompletionTokens, long Errors, long BudgetTokens)
{
    /// <summary>The sum of two tallies.</summary>
    public UsageTally Add(UsageTally other) => new(
        Requests + other.Requests, PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens, Errors + other.Errors, BudgetTokens + other.BudgetTokens);
}
