namespace OllamaGateway.Auth;

/// <summary>Per-key caps; null means no cap. Enforced per gateway instance.</summary>
internal sealed record KeyLimits(int? RequestsPerMinute, int? ConcurrentRequests)
{
    public static KeyLimits None { get; } = new(null, null);
}
