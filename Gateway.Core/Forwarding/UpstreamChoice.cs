namespace OllamaGateway.Forwarding;

/// <summary>The result of choosing a server for a request: the server, or why there is none.</summary>
/// <param name="Upstream">The server chosen; null unless <paramref name="Kind"/> is <see cref="UpstreamChoiceKind.Chosen"/>.</param>
/// <param name="Kind">What was found.</param>
internal readonly record struct UpstreamChoice(OllamaUpstream? Upstream, UpstreamChoiceKind Kind);
