namespace OllamaGateway.Auth;

/// <summary>Per-key caps; null means no cap. Enforced per gateway instance.</summary>
public sealed record KeyLimits(int? RequestsPerMinute, int? ConcurrentRequests)
{
    /// <summary>No limits.</summary>
    public static KeyLimits None { get; } = new(null, null);
}
