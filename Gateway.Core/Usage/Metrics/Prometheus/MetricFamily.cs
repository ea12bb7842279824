using System.Diagnostics.Metrics;
using System.Text;

namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>
/// One instrument's aggregated state and its rendering as a Prometheus metric family: a series per label set, each
/// a sum, a last value, or histogram buckets with their sum and count. Label sets are bounded: past
/// <see cref="MaxSeries"/> new ones fold into one series labelled <c>otel_metric_overflow="true"</c>, as
/// OpenTelemetry's SDK does, so memory and the exposition stay bounded whatever is measured.
/// </summary>
internal sealed class MetricFamily
{
    /// <summary>The most label sets one family keeps.</summary>
    public const int MaxSeries = 2000;

    // Tags in another order are another key for the same series; past this many keys, tags are looked up by their text.
    private const int MaxTagSets = 2 * MaxSeries;

    private const string OverflowLabels = "{otel_metric_overflow=\"true\"}";

    // OpenTelemetry's default explicit bucket boundaries, for histograms that advise none.
    private static readonly double[] s_defaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricSeries>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    // Series by the tags a measurement came with: the label text is written only for tags not seen before.
    private readonly Dictionary<TagSet, MetricSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _byTags =
        new Dictionary<TagSet, MetricSeries>(TagSet.Comparer.Instance).GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    private readonly double[] _bounds;

    private MetricFamily(string name, string? help, MetricKind kind, double[] bounds, bool isObserved)
    {
        Name = name;
        IsObserved = isObserved;
        Help = string.IsNullOrEmpty(help) ? name : help;
        Kind = kind;
        _bounds = bounds;
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The metric family's name (for histograms, without <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    /// <summary>Whether measurements are snapshots taken at collection (observable instruments).</summary>
    public bool IsObserved { get; }

    /// <summary>The family for an instrument, or null for a kind of instrument this exposition does not know.</summary>
    public static MetricFamily? For(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType)
        {
            return null;
        }

        var definition = instrument.GetType().GetGenericTypeDefinition();
        MetricKind? kind =
            definition == typeof(Counter<>) ? MetricKind.Counter
            : definition == typeof(UpDownCounter<>) ? MetricKind.Sum
            : definition == typeof(ObservableCounter<>) ? MetricKind.ObservedCounter
            : definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) ? MetricKind.LastValue
            : definition == typeof(Histogram<>) ? MetricKind.Histogram
            : null;
        if (kind is not { } known)
        {
            return null;
        }

        var isCounter = known is MetricKind.Counter or MetricKind.ObservedCounter;
        var bounds = known == MetricKind.Histogram ? BoundsOf(instrument) : [];
        return new MetricFamily(PrometheusText.MetricName(instrument.Name, instrument.Unit, isCounter), instrument.Description, known, bounds, instrument.IsObservable);
    }

    /// <summary>Takes one measurement.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keyable = TagSet.CanKey(tags);
        lock (_lock)
        {
            if (!keyable || !_byTags.TryGetValue(tags, out var series))
            {
                series = FindByLabels(tags);
                if (keyable && _byTags.Dictionary.Count < MaxTagSets)
                {
                    _byTags.TryAdd(tags, series);
                }
            }

            switch (Kind)
            {
                case MetricKind.Counter or MetricKind.Sum:
                    series.Value += value;
                    break;
                case MetricKind.ObservedCounter or MetricKind.LastValue:
                    series.Value = value;
                    break;
                default:
                    var bucket = 0;
                    while (bucket < _bounds.Length && value > _bounds[bucket])
                    {
                        bucket++;
                    }

                    series.Buckets[bucket]++;
                    series.Sum += value;
                    series.Count++;
                    break;
            }
        }
    }

    /// <summary>Forgets the last snapshot of an observable instrument, so a series its callback no longer reports disappears.</summary>
    public void BeginObservation()
    {
        lock (_lock)
        {
            _series.Clear();
            _byTags.Dictionary.Clear();
        }
    }

    /// <summary>Writes the family (nothing when it has no series yet).</summary>
    public void WriteTo(StringBuilder output)
    {
        lock (_lock)
        {
            if (_series.Count == 0)
            {
                return;
            }

            PrometheusText.AppendHelp(output.Append("# HELP ").Append(Name).Append(' '), Help).Append('\n');
            output.Append("# TYPE ").Append(Name).Append(' ').Append(TypeName).Append('\n');
            foreach (var series in _series.Values.OrderBy(series => series.Labels, StringComparer.Ordinal))
            {
                if (Kind == MetricKind.Histogram)
                {
                    WriteHistogram(output, series);
                }
                else
                {
                    PrometheusText.AppendValue(output.Append(Name).Append(series.Labels).Append(' '), series.Value).Append('\n');
                }
            }
        }
    }

    private string TypeName => Kind switch
    {
        MetricKind.Counter or MetricKind.ObservedCounter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };

    private static double[] BoundsOf(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> histogram => histogram.Advice?.HistogramBucketBoundaries,
            Histogram<float> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            Histogram<long> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            Histogram<int> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            _ => null,
        };
        return advised is { Count: > 0 } ? [.. advised] : s_defaultBounds;
    }

    // The label block as the exposition writes it, names sorted, so the same set always gives the same text.
    private static void WriteLabels(ref LabelBuffer labels, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return;
        }

        Span<int> order = tags.Length <= 16 ? stackalloc int[tags.Length] : new int[tags.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var j = i;
            while (j > 0 && string.CompareOrdinal(tags[order[j - 1]].Key, tags[i].Key) > 0)
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = i;
        }

        labels.Append('{');
        for (var i = 0; i < order.Length; i++)
        {
            var tag = tags[order[i]];
            if (i > 0)
            {
                labels.Append(',');
            }

            labels.Append(PrometheusText.LabelName(tag.Key));
            labels.Append("=\"");
            PrometheusText.AppendLabelValue(ref labels, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            labels.Append('"');
        }

        labels.Append('}');
    }

    // The series of a label set by its exposition text: tags in another order, or values that are not strings, still
    // find the one series their text names.
    private MetricSeries FindByLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new LabelBuffer(stackalloc char[256]);
        try
        {
            WriteLabels(ref labels, tags);
            if (_lookup.TryGetValue(labels.Written, out var series))
            {
                return series;
            }

            var key = _series.Count < MaxSeries ? labels.Written.ToString() : OverflowLabels;
            if (!_series.TryGetValue(key, out series))
            {
                series = new MetricSeries(key, Kind == MetricKind.Histogram ? _bounds.Length + 1 : 0);
                _series.Add(key, series);
            }

            return series;
        }
        finally
        {
            labels.Dispose();
        }
    }

    private void WriteHistogram(StringBuilder output, MetricSeries series)
    {
        // Buckets are cumulative in the exposition: each counts every measurement at or below its bound.
        var prefix = series.Labels.Length == 0 ? "{" : series.Labels[..^1] + ",";
        long cumulative = 0;
        for (var i = 0; i <= _bounds.Length; i++)
        {
            cumulative += series.Buckets[i];
            output.Append(Name).Append("_bucket").Append(prefix).Append("le=\"");
            PrometheusText.AppendValue(output, i < _bounds.Length ? _bounds[i] : double.PositiveInfinity).Append("\"} ");
            output.Append(cumulative).Append('\n');
        }

        PrometheusText.AppendValue(output.Append(Name).Append("_sum").Append(series.Labels).Append(' '), series.Sum).Append('\n');
        output.Append(Name).Append("_count").Append(series.Labels).Append(' ').Append(series.Count).Append('\n');
    }
}
