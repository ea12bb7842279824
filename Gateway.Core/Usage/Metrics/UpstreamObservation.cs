namespace OllamaGateway.Usage.Metrics;

/// <summary>What an upstream reports about itself when metrics are collected (see <see cref="GatewayMetrics.ObserveUpstreams"/>).</summary>
/// <param name="Name">The upstream's configured name: bounded by configuration, so a safe label.</param>
/// <param name="Healthy">Whether the gateway currently sends requests to it.</param>
/// <param name="InFlight">Requests to it that have not finished yet.</param>
internal readonly record struct UpstreamObservation(string Name, bool Healthy, long InFlight);
