namespace OllamaGateway.Auth;

/// <summary>Per-key caps; null means no cap.</summary>
/// <param name="RequestsPerMinute">A token bucket: a burst of the whole minute, then one request per 60/N seconds.</param>
/// <param name="ConcurrentRequests">Requests (open streams included) in flight at once.</param>
/// <param name="TokensPerMinute">Prompt and completion tokens per minute (a window aligned to the clock's minute).</param>
/// <param name="TokensPerDay">Prompt and completion tokens per UTC calendar day.</param>
public sealed record KeyLimits(int? RequestsPerMinute, int? ConcurrentRequests, long? TokensPerMinute = null, long? TokensPerDay = null)
{
    /// <summary>No limits.</summary>
    public static KeyLimits None { get; } = new(null, null);

    /// <summary>Whether the key has a token budget.</summary>
    public bool HasTokenBudget => TokensPerMinute is not null || TokensPerDay is not null;
}
