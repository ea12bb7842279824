namespace OllamaGateway.Limits;

/// <summary>A refusal by a token budget: which window is spent and when it frees.</summary>
/// <param name="Window">The spent budget, for the message: <c>tokens per minute</c> or <c>tokens per day</c>.</param>
/// <param name="RetryAfter">How long until the window frees.</param>
internal sealed record TokenBudgetVerdict(string Window, TimeSpan RetryAfter);
