namespace OllamaGateway.Usage;

/// <summary>What one row (or the totals) of a usage report counts.</summary>
/// <param name="Requests">Requests, refused ones included.</param>
/// <param name="PromptTokens">Prompt tokens, as Ollama counted them.</param>
/// <param name="CompletionTokens">Completion tokens, as Ollama counted them (or estimated for streams cut short).</param>
/// <param name="Errors">Requests that did not complete: refused, failed upstream, timed out, or cut short by the client.</param>
public sealed record UsageCounters(long Requests, long PromptTokens, long CompletionTokens, long Errors)
{
    /// <summary>Nothing counted.</summary>
    public static UsageCounters Zero { get; } = new(0, 0, 0, 0);

    /// <summary>Prompt and completion tokens together.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The sum of two counts.</summary>
    public UsageCounters Add(UsageCounters other) => new(
        Requests + other.Requests, PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens, Errors + other.Errors);
}
