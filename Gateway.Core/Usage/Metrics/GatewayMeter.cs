namespace OllamaGateway.Usage.Metrics;

/// <summary>
/// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every gateway instrument belongs to. A host that
/// exports metrics (OpenTelemetry's OTLP or Azure Monitor exporters) subscribes to this name; <c>GET /metrics</c> reads
/// the same instruments without any exporter.
/// </summary>
public static class GatewayMeter
{
    /// <summary>The meter's name: <c>OllamaGateway</c>.</summary>
    public const string Name = "OllamaGateway";
}
