namespace OllamaGateway.Usage.Metrics;

/// <summary>What the metrics read of the shared store when they are collected.</summary>
/// <param name="Degraded">Redis is configured but unavailable: limits are counted per instance.</param>
/// <param name="UsageBuffered">Usage counts waiting for Redis to return.</param>
internal readonly record struct SharedStateObservation(bool Degraded, long UsageBuffered);
