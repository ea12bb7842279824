using OllamaGateway.Usage;

namespace OllamaGateway.Limits;

/// <summary>Spends each finished request's tokens from its key's budget.</summary>
internal sealed class TokenBudgetSink(ITokenBudget budget) : IRequestRecordSink
{
    /// <inheritdoc/>
    public void OnFinished(RequestRecord record)
    {
        if (record.Key is { Limits.HasTokenBudget: true } key)
        {
            budget.Spend(key, record.PromptTokens + record.CompletionTokens);
        }
    }
}
