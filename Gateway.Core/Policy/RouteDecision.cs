namespace OllamaGateway.Policy;

/// <summary>The outcome of <see cref="RoutePolicy.Decide"/>; <paramref name="Allow"/> is set for 405 answers.</summary>
internal readonly record struct RouteDecision(RouteKind Kind, ApiSurface Surface, string? Allow = null)
{
    /// <summary>Whether the request may go on without a key.</summary>
    public bool IsAnonymous => Kind is RouteKind.Health or RouteKind.Readiness;
}
