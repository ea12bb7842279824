using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace OllamaGateway.Usage.Metrics;

/// <summary>
/// The gateway's instruments, on the <see cref="GatewayMeter.Name"/> meter: OpenTelemetry's generative-AI server
/// metrics (<c>gen_ai.server.*</c>, token usage by <c>gen_ai.token.type</c>) and the gateway's own (requests by key,
/// route and status, tokens by key and model, refusals, upstream errors, open streams, the usage ledger's queue).
/// Finished requests arrive through <see cref="MetricsRecordSink"/>; streams, the ledger and upstreams report here
/// directly. Exporters and <c>GET /metrics</c> read the instruments; nothing here knows about either.
/// </summary>
/// <remarks>
/// Bucket boundaries are OpenTelemetry's advice for each GenAI instrument. Every label value comes from
/// <see cref="MetricLabels"/>, which keeps each one bounded.
/// </remarks>
internal sealed class GatewayMetrics
{
    private static readonly object s_streamed = new();

    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _upstreamErrors;
    private readonly Counter<long> _ledgerDropped;
    private readonly Counter<long> _sharedUsageDropped;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _timePerOutputToken;
    private readonly Histogram<long> _tokenUsage;

    // Which in-progress requests are streams: the stream code knows, the finished record does not say. A weak table,
    // so a record that is never finished cannot keep an entry alive.
    private readonly ConditionalWeakTable<RequestRecord, object> _streams = [];

    private long _openStreams;
    private Func<long>? _ledgerQueueDepth;
    private Func<SharedStateObservation>? _sharedState;
    private Func<IEnumerable<UpstreamObservation>>? _upstreams;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(GatewayMeter.Name);

        _requests = meter.CreateCounter<long>("ollama_gateway.requests", "{request}", "Requests answered, by key name, route and status.");
        _tokens = meter.CreateCounter<long>("ollama_gateway.tokens", "{token}", "Tokens Ollama counted (estimated for streams cut short), by key name, model and type (input or output).");
        _refusals = meter.CreateCounter<long>("ollama_gateway.refusals", "{request}", "Requests the gateway refused before Ollama was asked, by key name and reason.");
        _upstreamErrors = meter.CreateCounter<long>("ollama_gateway.upstream.errors", "{request}", "Requests Ollama failed: unreachable, silent, broken off, unusable or a 5xx answer; by upstream and reason.");
        _ledgerDropped = meter.CreateCounter<long>("ollama_gateway.ledger.dropped", "{record}", "Request records the usage ledger dropped because its queue was full.");
        meter.CreateObservableUpDownCounter("ollama_gateway.open_streams", () => Volatile.Read(ref _openStreams), "{stream}", "Streamed answers being relayed to clients now.");
        meter.CreateObservableGauge("ollama_gateway.ledger.queue_depth", ObserveLedgerQueueDepth, "{record}", "Request records waiting to be written to the usage ledger.");
        meter.CreateObservableGauge("ollama_gateway.upstream.healthy", ObserveUpstreamHealth, null, "Whether the gateway sends requests to the upstream (1) or not (0).");
        _sharedUsageDropped = meter.CreateCounter<long>("ollama_gateway.redis.usage_dropped", "{request}", "Finished requests left out of the shared usage counters because Redis was unavailable and the buffer was full.");
        meter.CreateObservableGauge("ollama_gateway.redis.degraded", ObserveSharedStateDegraded, null, "Whether Redis is configured but unavailable (1), so limits are counted per instance, or in use (0).");
        meter.CreateObservableGauge("ollama_gateway.redis.usage_buffered", ObserveSharedUsageBuffered, "{count}", "Usage counts (one per key, model and hour) waiting for Redis to return.");
        meter.CreateObservableUpDownCounter("ollama_gateway.upstream.in_flight", ObserveUpstreamsInFlight, "{request}", "Requests to the upstream that have not finished.");

        _requestDuration = meter.CreateHistogram("gen_ai.server.request.duration", "s", "Time from the request's arrival to the end of its answer, on inference routes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        _timeToFirstToken = meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time from the request's arrival to the first token of a successful streamed answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0] });
        _timePerOutputToken = meter.CreateHistogram("gen_ai.server.time_per_output_token", "s", "Time per output token after the first, of successful streamed answers.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5] });

        // OpenTelemetry defines token usage only as a client metric; the gateway is Ollama's client.
        _tokenUsage = meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens per request, by gen_ai.token.type (input or output).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
    }


    /// <summary>
    /// Notes that a streamed answer starts being relayed (<c>ollama_gateway.open_streams</c> goes up). With the
    /// request's record, the finished request also yields its time to first token and time per output token.
    /// </summary>
    public void StreamOpened(RequestRecord? record)
    {
        Interlocked.Increment(ref _openStreams);
        if (record is not null)
        {
            _streams.AddOrUpdate(record, s_streamed);
        }
    }

    /// <summary>Notes that a streamed answer has ended, however it ended.</summary>
    public void StreamClosed() => Interlocked.Decrement(ref _openStreams);

    /// <summary>
    /// Reports the usage ledger's queue depth: <paramref name="depth"/> is read each time metrics are collected
    /// (<c>ollama_gateway.ledger.queue_depth</c>). A later call replaces an earlier one.
    /// </summary>
    public void ObserveLedgerQueue(Func<long> depth) => Volatile.Write(ref _ledgerQueueDepth, depth);

    /// <summary>Counts request records the usage ledger dropped (<c>ollama_gateway.ledger.dropped</c>).</summary>
    public void LedgerDropped(long count) => _ledgerDropped.Add(count);

    /// <summary>
    /// Reports the state of the shared store (Redis): <paramref name="state"/> is read each time metrics are collected
    /// (<c>ollama_gateway.redis.degraded</c>, <c>ollama_gateway.redis.usage_buffered</c>). Without Redis neither series exists.
    /// </summary>
    public void ObserveSharedState(Func<SharedStateObservation> state) => Volatile.Write(ref _sharedState, state);

    /// <summary>Counts finished requests left out of the shared usage counters (<c>ollama_gateway.redis.usage_dropped</c>).</summary>
    public void SharedUsageDropped(long count) => _sharedUsageDropped.Add(count);

    /// <summary>
    /// The extension point for per-upstream series: <paramref name="upstreams"/> is read each time metrics are
    /// collected and gives <c>ollama_gateway.upstream.healthy</c> and <c>ollama_gateway.upstream.in_flight</c>, one
    /// series per upstream name. A later call replaces an earlier one.
    /// </summary>
    public void ObserveUpstreams(Func<IEnumerable<UpstreamObservation>> upstreams) => Volatile.Write(ref _upstreams, upstreams);

    /// <summary>Measures a finished request. Called once per request by <see cref="MetricsRecordSink"/>.</summary>
    public void Record(RequestRecord record)
    {
        // Reading first: a lookup takes no lock, and most requests are not streams.
        var streamed = _streams.TryGetValue(record, out _) && _streams.Remove(record);
        var key = record.KeyName ?? MetricLabels.NoKey;
        if (record.Outcome == RequestOutcome.Refused && _refusals.Enabled)
        {
            _refusals.Add(1, new TagList { { "key", key }, { "reason", MetricLabels.Reason(record.Reason) } });
        }

        if (_upstreamErrors.Enabled && MetricLabels.UpstreamError(record) is { } upstreamError)
        {
            _upstreamErrors.Add(1, new TagList { { "upstream", record.Upstream ?? MetricLabels.NoUpstream }, { "reason", upstreamError } });
        }

        var operation = record.Route?.Operation;
        if (operation is not null || record.PromptTokens > 0 || record.CompletionTokens > 0)
        {
            var model = MetricLabels.Model(record);
            RecordTokens(key, model, record);
            if (operation is not null)
            {
                RecordGenAI(operation, model, streamed, record);
            }
        }

        // Last, so whoever sees a request counted also sees everything else it measured.
        if (_requests.Enabled)
        {
            _requests.Add(1, new TagList
            {
                { "key", key },
                { "route", record.Route?.Name ?? MetricLabels.UnknownRoute },
                { "status", MetricLabels.Status(record.Status) },
            });
        }
    }

    private void RecordTokens(string key, string model, RequestRecord record)
    {
        if (!_tokens.Enabled)
        {
            return;
        }

        if (record.PromptTokens > 0)
        {
            _tokens.Add(record.PromptTokens, new TagList { { "key", key }, { "model", model }, { "type", "input" } });
        }

        if (record.CompletionTokens > 0)
        {
            _tokens.Add(record.CompletionTokens, new TagList { { "key", key }, { "model", model }, { "type", "output" } });
        }
    }

    private void RecordGenAI(string operation, string model, bool streamed, RequestRecord record)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", operation },
            { "gen_ai.provider.name", MetricLabels.Provider },
            { "gen_ai.request.model", model },
        };

        if (_tokenUsage.Enabled)
        {
            RecordTokenUsage(record.PromptTokens, "input", tags);
            RecordTokenUsage(record.CompletionTokens, "output", tags);
        }

        var errorType = MetricLabels.ErrorType(record);
        if (errorType is null && streamed && _timeToFirstToken.Enabled && record.TimeToFirstByte is { } firstToken)
        {
            _timeToFirstToken.Record(firstToken.TotalSeconds, tags);
            if (record.CompletionTokens > 1 && !record.TokensEstimated)
            {
                _timePerOutputToken.Record((record.Duration - firstToken).TotalSeconds / (record.CompletionTokens - 1), tags);
            }
        }

        if (_requestDuration.Enabled)
        {
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            _requestDuration.Record(record.Duration.TotalSeconds, tags);
        }
    }

    private void RecordTokenUsage(long tokens, string type, TagList tags)
    {
        if (tokens > 0)
        {
            tags.Add("gen_ai.token.type", type);
            _tokenUsage.Record(tokens, tags);
        }
    }

    private IEnumerable<Measurement<long>> ObserveLedgerQueueDepth() =>
        Volatile.Read(ref _ledgerQueueDepth) is { } depth ? [new Measurement<long>(depth())] : [];

    private IEnumerable<Measurement<int>> ObserveSharedStateDegraded() =>
        Volatile.Read(ref _sharedState) is { } state ? [new Measurement<int>(state().Degraded ? 1 : 0)] : [];

    private IEnumerable<Measurement<long>> ObserveSharedUsageBuffered() =>
        Volatile.Read(ref _sharedState) is { } state ? [new Measurement<long>(state().UsageBuffered)] : [];

    private IEnumerable<Measurement<int>> ObserveUpstreamHealth() =>
        Volatile.Read(ref _upstreams) is { } upstreams
            ? upstreams().Select(upstream => new Measurement<int>(upstream.Healthy ? 1 : 0, new KeyValuePair<string, object?>("upstream", upstream.Name)))
            : [];

    private IEnumerable<Measurement<long>> ObserveUpstreamsInFlight() =>
        Volatile.Read(ref _upstreams) is { } upstreams
            ? upstreams().Select(upstream => new Measurement<long>(upstream.InFlight, new KeyValuePair<string, object?>("upstream", upstream.Name)))
            : [];
}
