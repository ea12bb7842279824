using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>
/// Keeps the gateway's instruments (the <see cref="GatewayMeter.Name"/> meter of this service container) aggregated
/// for <c>GET /metrics</c>, with a <see cref="MeterListener"/> and no exporter: Core stays free of OpenTelemetry's
/// SDK, and the exposition works in both hosts because the pipeline, not middleware, serves it. It must exist before
/// the first request is measured, so the pipeline's handlers depend on it.
/// </summary>
internal sealed partial class PrometheusCollector : IDisposable
{
    private readonly MeterListener _listener;
    private readonly Lock _familiesLock = new();
    private readonly List<MetricFamily> _families = [];
    private readonly Lock _collectLock = new();
    private readonly ILogger<PrometheusCollector> _logger;

    public PrometheusCollector(IMeterFactory meterFactory, ILogger<PrometheusCollector> logger)
    {
        _logger = logger;
        _listener = new MeterListener
        {
            // Only this container's meter: several gateways in one process (tests) each expose their own requests.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayMeter.Name && ReferenceEquals(instrument.Meter.Scope, meterFactory) && MetricFamily.For(instrument) is { } family)
                {
                    lock (_familiesLock)
                    {
                        _families.Add(family);
                    }

                    listener.EnableMeasurementEvents(instrument, family);
                }
            },
            MeasurementsCompleted = (_, state) =>
            {
                lock (_familiesLock)
                {
                    _families.Remove((MetricFamily)state!);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>The exposition of every instrument now, in the Prometheus text format 0.0.4, families sorted by name.</summary>
    public string Collect()
    {
        MetricFamily[] families;
        lock (_familiesLock)
        {
            families = [.. _families.OrderBy(family => family.Name, StringComparer.Ordinal)];
        }

        var output = new StringBuilder();
        lock (_collectLock)
        {
            // Observable instruments report now; their previous snapshot goes, so a vanished series does not linger.
            foreach (var family in families.Where(family => family.IsObserved))
            {
                family.BeginObservation();
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception ex)
            {
                // A callback someone registered failed: the other instruments are still worth reporting.
                Log.ObservationFailed(_logger, ex);
            }

            string? previous = null;
            foreach (var family in families)
            {
                // Two instruments with one name would make an invalid exposition: the first one wins.
                if (family.Name != previous)
                {
                    family.WriteTo(output);
                }

                previous = family.Name;
            }
        }

        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static partial class Log
    {
        [LoggerMessage(5101, LogLevel.Warning, "An observable metric's callback failed while metrics were collected.", EventName = "MetricObservationFailed")]
        public static partial void ObservationFailed(ILogger logger, Exception exception);
    }
}
