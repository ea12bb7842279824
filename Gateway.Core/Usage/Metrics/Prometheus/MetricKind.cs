namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>How an instrument's measurements are kept and what Prometheus type they are shown as.</summary>
internal enum MetricKind
{
    /// <summary>Measurements are added up; shown as a <c>counter</c> (counters).</summary>
    Counter,

    /// <summary>Measurements are added up; shown as a <c>gauge</c> (up-down counters).</summary>
    Sum,

    /// <summary>Each measurement replaces the last; shown as a <c>counter</c> (observable counters report running totals).</summary>
    ObservedCounter,

    /// <summary>Each measurement replaces the last; shown as a <c>gauge</c> (gauges, observable up-down counters).</summary>
    LastValue,

    /// <summary>Measurements are counted into fixed buckets; shown as a <c>histogram</c>.</summary>
    Histogram,
}
