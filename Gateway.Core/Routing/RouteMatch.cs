namespace OllamaGateway.Routing;

/// <summary>
/// What <see cref="GatewayRoutes.Match"/> found: the route, or why there is none. A 405 still carries its route, for
/// the <c>Allow</c> header; a 404 carries none.
/// </summary>
/// <param name="Route">The route whose path matched, or null when none did.</param>
/// <param name="Kind">The route's kind, or <see cref="RouteKind.NotFound"/> / <see cref="RouteKind.MethodNotAllowed"/>.</param>
/// <param name="Surface">The API the path belongs to, for the shape of errors even on unknown paths.</param>
internal readonly record struct RouteMatch(GatewayRoute? Route, RouteKind Kind, ApiSurface Surface)
{
    /// <summary>The <c>Allow</c> header of a 405, or null.</summary>
    public string? Allow => Kind == RouteKind.MethodNotAllowed ? Route?.Allow : null;

    /// <summary>Whether the request may go on without a key.</summary>
    public bool IsAnonymous => Kind != RouteKind.MethodNotAllowed && Route is { IsAnonymous: true };
}
