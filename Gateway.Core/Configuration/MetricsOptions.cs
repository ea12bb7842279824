namespace OllamaGateway.Configuration;

/// <summary>The gateway's metrics: <c>Gateway:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Whether finished requests are counted in the gateway's metrics (<c>GET /metrics</c> and the OpenTelemetry
    /// export). Off, <c>/metrics</c> answers 404 and nothing is recorded per request.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
