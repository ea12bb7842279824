namespace OllamaGateway.Usage.Metrics;

/// <summary>Hands every finished request to <see cref="GatewayMetrics"/>: counters and histograms only, nothing slow.</summary>
internal sealed class MetricsRecordSink(GatewayMetrics metrics) : IRequestRecordSink
{
    public void OnFinished(RequestRecord record) => metrics.Record(record);
}
