using System.Diagnostics.Metrics;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage.Metrics;
using OllamaGateway.Usage.Metrics.Prometheus;

namespace OllamaGateway.Tests.Usage.Metrics;

/// <summary>
/// The hand-written Prometheus exposition (text format 0.0.4) over <see cref="System.Diagnostics.Metrics"/>: names,
/// types, escaping, cumulative histogram buckets, bounded series, and only this gateway's own meter.
/// </summary>
public sealed class PrometheusExpositionTests : IDisposable
{
    private readonly MetricsHarness _harness = new();
    private readonly Meter _meter;

    public PrometheusExpositionTests()
    {
        _meter = _harness.MeterFactory.Create(GatewayMeter.Name);
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Histogram_WritesCumulativeBucketsUpToInfThenSumAndCount()
    {
        var histogram = _meter.CreateHistogram("test.latency", "s", "Latency.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        foreach (var value in (double[])[0.05, 0.1, 0.5, 2, 20])
        {
            histogram.Record(value, new KeyValuePair<string, object?>("route", "/api/chat"));
        }

        Assert.Equal(
        [
            "# HELP test_latency_seconds Latency.",
            "# TYPE test_latency_seconds histogram",
            "test_latency_seconds_bucket{route=\"/api/chat\",le=\"0.1\"} 2",
            "test_latency_seconds_bucket{route=\"/api/chat\",le=\"1\"} 3",
            "test_latency_seconds_bucket{route=\"/api/chat\",le=\"10\"} 4",
            "test_latency_seconds_bucket{route=\"/api/chat\",le=\"+Inf\"} 5",
            "test_latency_seconds_sum{route=\"/api/chat\"} 22.65",
            "test_latency_seconds_count{route=\"/api/chat\"} 5",
        ], Family("test_latency_seconds"));
    }

    [Fact]
    public async Task LabelValues_AreEscaped_AndPromtoolAcceptsThem()
    {
        var counter = _meter.CreateCounter<long>("test.escapes", null, "Help with a \\ backslash\nand a line feed.");
        counter.Add(1, new KeyValuePair<string, object?>("value", "quote \" backslash \\ line\nfeed"));

        Assert.Equal(
        [
            "# HELP test_escapes_total Help with a \\\\ backslash\\nand a line feed.",
            "# TYPE test_escapes_total counter",
            "test_escapes_total{value=\"quote \\\" backslash \\\\ line\\nfeed\"} 1",
        ], Family("test_escapes_total"));
        var check = await Promtool.CheckMetricsAsync(_harness.Collector.Collect());
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Fact]
    public void Labels_AreSortedByName_SoTheOrderTagsCameInDoesNotSplitASeries()
    {
        var counter = _meter.CreateCounter<long>("test.order");
        counter.Add(1, new("b", "2"), new("a", "1"));
        counter.Add(2, new("a", "1"), new("b", "2"));

        Assert.Equal(["test_order_total{a=\"1\",b=\"2\"} 3"], _harness.Lines("test_order_total{"));
    }

    [Fact]
    public void RepeatedTags_InAnyOrderAndAsTextOrNumber_AddUpInOneSeries()
    {
        var counter = _meter.CreateCounter<long>("test.repeat");
        for (var i = 0; i < 100; i++)
        {
            counter.Add(1, new("status", "200"), new("key", "alice"));
            counter.Add(1, new("key", "alice"), new("status", "200"));
            counter.Add(1, new("key", "alice"), new("status", 200));
        }

        counter.Add(1, new("key", "bob"), new("status", "200"));

        Assert.Equal(["test_repeat_total{key=\"alice\",status=\"200\"} 300", "test_repeat_total{key=\"bob\",status=\"200\"} 1"], _harness.Lines("test_repeat_total{"));
    }

    [Fact]
    public void ObservedSeries_TakeEachCollectionsValue_AndVanishWhenNoLongerReported()
    {
        var reported = new List<Measurement<long>> { new(1, new KeyValuePair<string, object?>("upstream", "a")), new(5, new KeyValuePair<string, object?>("upstream", "b")) };
        _meter.CreateObservableGauge("test.observed", () => reported);
        Assert.Equal(["test_observed{upstream=\"a\"} 1", "test_observed{upstream=\"b\"} 5"], _harness.Lines("test_observed{"));

        reported = [new(2, new KeyValuePair<string, object?>("upstream", "a"))];

        Assert.Equal(["test_observed{upstream=\"a\"} 2"], _harness.Lines("test_observed{"));
    }

    [Fact]
    public void TextSeriesPastTheLimit_KeepFoldingIntoTheOverflowSeries()
    {
        var counter = _meter.CreateCounter<long>("test.names");
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < MetricFamily.MaxSeries + 10; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("name", $"n{i}"));
            }
        }

        var lines = _harness.Lines("test_names_total{");
        Assert.Equal(MetricFamily.MaxSeries + 1, lines.Count);
        Assert.Contains("test_names_total{name=\"n0\"} 2", lines);
        Assert.Contains("test_names_total{otel_metric_overflow=\"true\"} 20", lines);
    }

    [Fact]
    public void UpDownCounter_IsAGauge_AndObservableCounterACounter()
    {
        var upDown = _meter.CreateUpDownCounter<int>("test.queue");
        upDown.Add(5);
        upDown.Add(-2);
        _meter.CreateObservableCounter("test.bytes", () => 1234L, "By");

        Assert.Equal(["# HELP test_queue test_queue", "# TYPE test_queue gauge", "test_queue 3"], Family("test_queue"));
        Assert.Equal(["# HELP test_bytes_total test_bytes_total", "# TYPE test_bytes_total counter", "test_bytes_total 1234"], Family("test_bytes_total"));
    }

    [Fact]
    public void SeriesPastTheLimit_FoldIntoOneOverflowSeries()
    {
        var counter = _meter.CreateCounter<long>("test.many");
        for (var i = 0; i < MetricFamily.MaxSeries + 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        var lines = _harness.Lines("test_many_total{");
        Assert.Equal(MetricFamily.MaxSeries + 1, lines.Count);
        Assert.Contains("test_many_total{otel_metric_overflow=\"true\"} 10", lines);
    }

    [Fact]
    public void AnotherGatewaysMeter_IsNotExposed()
    {
        using var other = new MetricsHarness();
        other.Metrics.LedgerDropped(5);
        _harness.Metrics.LedgerDropped(1);
        using var unrelated = new Meter(GatewayMeter.Name);
        unrelated.CreateCounter<long>("test.unrelated").Add(1);

        Assert.Equal(["ollama_gateway_ledger_dropped_total 1"], _harness.Lines("ollama_gateway_ledger_dropped_total"));
        Assert.Empty(_harness.Lines("test_unrelated"));
    }

    [Fact]
    public void FailingObservableCallback_DoesNotStopTheOthers()
    {
        Func<long> broken = () => throw new InvalidOperationException("broken");
        _meter.CreateObservableGauge("test.broken", broken);
        _harness.Metrics.ObserveLedgerQueue(() => 4);

        Assert.Equal(["ollama_gateway_ledger_queue_depth 4"], _harness.Lines("ollama_gateway_ledger_queue_depth"));
    }

    // The lines of one family: its HELP and TYPE, then its samples.
    private IReadOnlyList<string> Family(string name) =>
        [.. _harness.Collector.Collect().Split('\n').Where(line =>
            line.StartsWith("# HELP " + name + " ", StringComparison.Ordinal)
            || line.StartsWith("# TYPE " + name + " ", StringComparison.Ordinal)
            || (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ' or '_'))];
}
