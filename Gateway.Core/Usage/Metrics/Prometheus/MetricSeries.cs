namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>One label set's state in a <see cref="MetricFamily"/>; the family's lock guards it.</summary>
internal sealed class MetricSeries(string labels, int bucketCount)
{
    /// <summary>The label set as written in the exposition: <c>{key="alice",type="input"}</c>, or empty.</summary>
    public string Labels { get; } = labels;

    /// <summary>The value of a counter or gauge.</summary>
    public double Value { get; set; }

    /// <summary>A histogram's counts per bucket (not cumulative), the last one above every bound.</summary>
    public long[] Buckets { get; } = bucketCount == 0 ? [] : new long[bucketCount];

    /// <summary>A histogram's sum of measurements.</summary>
    public double Sum { get; set; }

    /// <summary>A histogram's number of measurements.</summary>
    public long Count { get; set; }
}
