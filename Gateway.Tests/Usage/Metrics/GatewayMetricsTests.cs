using OllamaGateway.Errors;
using OllamaGateway.Tests.Common;
using OllamaGateway.Translation;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;

namespace OllamaGateway.Tests.Usage.Metrics;

/// <summary>
/// What a finished request record becomes in the gateway's metrics: requests by key, route and status; Ollama's exact
/// token counts by key and model; refusals and upstream errors by reason; GenAI timings; and labels that stay bounded
/// whatever a client sends.
/// </summary>
public sealed class GatewayMetricsTests : IDisposable
{
    private readonly MetricsHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void NativeStreamedChat_CountsOllamasTokensExactlyByKeyAndModel()
    {
        Finish(Served("/api/chat", new TokenUsage(26, 7)));
        Finish(Served("/api/generate", new TokenUsage(11, 5)));
        Finish(Served("/api/embed", new TokenUsage(4, 0)));

        Assert.Equal(
        [
            "ollama_gateway_tokens_total{key=\"alice\",model=\"llama3.2:latest\",type=\"input\"} 41",
            "ollama_gateway_tokens_total{key=\"alice\",model=\"llama3.2:latest\",type=\"output\"} 12",
        ], _harness.Lines("ollama_gateway_tokens_total{"));
    }

    [Fact]
    public void Requests_AreCountedByKeyRouteAndStatus()
    {
        Finish(Served("/v1/chat/completions", new TokenUsage(1, 1)));
        Finish(Served("/v1/chat/completions", new TokenUsage(1, 1)));
        var refused = _harness.Start("/v1/chat/completions", key: null);
        refused.Fail(GatewayError.MissingKey);
        refused.Finish(401, clientAborted: false);
        _harness.Metrics.Record(refused);

        Assert.Equal(
        [
            "ollama_gateway_requests_total{key=\"-\",route=\"/v1/chat/completions\",status=\"401\"} 1",
            "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/chat/completions\",status=\"200\"} 2",
        ], _harness.Lines("ollama_gateway_requests_total{"));
        Assert.Equal(["ollama_gateway_refusals_total{key=\"-\",reason=\"missing_key\"} 1"], _harness.Lines("ollama_gateway_refusals_total{"));
    }

    [Fact]
    public void ModelOllamaDidNotServe_IsNeverALabel()
    {
        const string madeUp = "sk-made-up-model-0123456789";
        var notFound = _harness.Start("/api/chat", model: madeUp);
        notFound.Upstream = "default";
        notFound.Finish(404, clientAborted: false);
        _harness.Metrics.Record(notFound);
        var forbidden = _harness.Start("/v1/chat/completions", model: madeUp);
        forbidden.Fail(GatewayError.ModelForbidden);
        forbidden.Finish(403, clientAborted: false);
        _harness.Metrics.Record(forbidden);

        var exposition = _harness.Collector.Collect();

        Assert.DoesNotContain(madeUp, exposition, StringComparison.Ordinal);
        Assert.Contains("gen_ai_request_model=\"other\"", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelSpellings_FoldIntoTheNameOllamaLists()
    {
        foreach (var spelling in (string[])["Llama3.2", "llama3.2:latest", "registry.ollama.ai/library/LLAMA3.2:latest", "library/llama3.2"])
        {
            var record = _harness.Start("/api/chat", model: spelling);
            record.Upstream = "default";
            record.SetUsage(new TokenUsage(1, 0));
            record.Finish(200, clientAborted: false);
            _harness.Metrics.Record(record);
        }

        Assert.Equal(["ollama_gateway_tokens_total{key=\"alice\",model=\"llama3.2:latest\",type=\"input\"} 4"], _harness.Lines("ollama_gateway_tokens_total{"));
    }

    [Fact]
    public void StreamedAnswer_GivesTimeToFirstTokenAndTimePerOutputToken()
    {
        var record = _harness.Start("/v1/chat/completions");
        record.Upstream = "default";
        _harness.Metrics.StreamOpened(record);
        _harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        record.MarkFirstByte();
        _harness.Time.Advance(TimeSpan.FromSeconds(2));
        record.SetUsage(new TokenUsage(10, 5));
        _harness.Metrics.StreamClosed();
        record.Finish(200, clientAborted: false);
        _harness.Metrics.Record(record);

        const string labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"ollama\",gen_ai_request_model=\"llama3.2:latest\"";
        Assert.Equal([$"gen_ai_server_time_to_first_token_seconds_sum{{{labels}}} 0.5"], _harness.Lines("gen_ai_server_time_to_first_token_seconds_sum"));
        Assert.Equal([$"gen_ai_server_time_per_output_token_seconds_sum{{{labels}}} 0.5"], _harness.Lines("gen_ai_server_time_per_output_token_seconds_sum"));
        Assert.Equal([$"gen_ai_server_request_duration_seconds_sum{{{labels}}} 2.5"], _harness.Lines("gen_ai_server_request_duration_seconds_sum"));
        Assert.Contains($"gen_ai_server_time_to_first_token_seconds_bucket{{{labels},le=\"0.25\"}} 0", _harness.Lines("gen_ai_server_time_to_first_token_seconds_bucket"));
        Assert.Contains($"gen_ai_server_time_to_first_token_seconds_bucket{{{labels},le=\"0.5\"}} 1", _harness.Lines("gen_ai_server_time_to_first_token_seconds_bucket"));
        Assert.Equal(["ollama_gateway_open_streams 0"], _harness.Lines("ollama_gateway_open_streams"));
    }

    [Fact]
    public void WholeAnswer_HasADurationButNoStreamTimings()
    {
        Finish(Served("/v1/chat/completions", new TokenUsage(10, 5)));

        Assert.Single(_harness.Lines("gen_ai_server_request_duration_seconds_count"));
        Assert.Empty(_harness.Lines("gen_ai_server_time_to_first_token_seconds"));
        Assert.Empty(_harness.Lines("gen_ai_server_time_per_output_token_seconds"));
    }

    [Fact]
    public void TokenUsageHistogram_SplitsInputAndOutput()
    {
        Finish(Served("/v1/embeddings", new TokenUsage(300, 0)));

        Assert.Equal(
            ["gen_ai_client_token_usage_sum{gen_ai_operation_name=\"embeddings\",gen_ai_provider_name=\"ollama\",gen_ai_request_model=\"llama3.2:latest\",gen_ai_token_type=\"input\"} 300"],
            _harness.Lines("gen_ai_client_token_usage_sum"));
    }

    [Fact]
    public void OpenStreams_GoUpAndDown()
    {
        _harness.Metrics.StreamOpened(null);
        _harness.Metrics.StreamOpened(null);
        Assert.Equal(["ollama_gateway_open_streams 2"], _harness.Lines("ollama_gateway_open_streams"));

        _harness.Metrics.StreamClosed();
        Assert.Equal(["ollama_gateway_open_streams 1"], _harness.Lines("ollama_gateway_open_streams"));
    }

    [Theory]
    [InlineData("UpstreamUnavailable", "None", 502, "upstream_unavailable")]
    [InlineData("UpstreamTimeout", "None", 504, "upstream_timeout")]
    [InlineData("UpstreamInvalidResponse", "None", 502, "upstream_invalid_response")]
    [InlineData("UpstreamRefused", "None", 503, "upstream_refused")]
    [InlineData("None", "UpstreamError", 200, "stream_broken")]
    [InlineData("None", "Timeout", 200, "stream_idle_timeout")]
    [InlineData("None", "None", 500, "upstream_refused")]
    public void UpstreamFailure_IsCountedByUpstreamAndReason(string reasonName, string outcomeName, int status, string label)
    {
        var reason = Enum.Parse<GatewayError>(reasonName);
        var outcome = Enum.Parse<RequestOutcome>(outcomeName);
        var record = _harness.Start("/api/chat");
        record.Upstream = "default";
        if (reason != GatewayError.None)
        {
            record.Fail(reason);
        }

        if (outcome != RequestOutcome.None)
        {
            record.End(outcome);
        }

        record.Finish(status, clientAborted: false);
        _harness.Metrics.Record(record);

        Assert.Equal([$"ollama_gateway_upstream_errors_total{{reason=\"{label}\",upstream=\"default\"}} 1"], _harness.Lines("ollama_gateway_upstream_errors_total{"));
    }

    [Fact]
    public void OllamasClientErrors_AreNotUpstreamErrors()
    {
        var translated = _harness.Start("/v1/chat/completions");
        translated.Upstream = "default";
        translated.Fail(GatewayError.UpstreamRefused);
        translated.Finish(404, clientAborted: false);
        _harness.Metrics.Record(translated);
        var native = _harness.Start("/api/chat");
        native.Upstream = "default";
        native.Finish(400, clientAborted: false);
        _harness.Metrics.Record(native);

        Assert.Empty(_harness.Lines("ollama_gateway_upstream_errors_total"));
        Assert.Equal(2, _harness.Lines("ollama_gateway_requests_total{").Count);
    }

    [Fact]
    public void LedgerQueueAndDrops_AreReported()
    {
        Assert.Empty(_harness.Lines("ollama_gateway_ledger"));
        long depth = 3;
        _harness.Metrics.ObserveLedgerQueue(() => depth);
        _harness.Metrics.LedgerDropped(2);
        _harness.Metrics.LedgerDropped(5);

        Assert.Equal(["ollama_gateway_ledger_queue_depth 3"], _harness.Lines("ollama_gateway_ledger_queue_depth"));
        depth = 9;
        Assert.Equal(["ollama_gateway_ledger_queue_depth 9"], _harness.Lines("ollama_gateway_ledger_queue_depth"));
        Assert.Equal(["ollama_gateway_ledger_dropped_total 7"], _harness.Lines("ollama_gateway_ledger_dropped_total"));
    }

    [Fact]
    public void Upstreams_ReportHealthAndRequestsInFlight_AndAVanishedOneDisappears()
    {
        UpstreamObservation[] upstreams = [new("gpu-a", true, 2), new("gpu-b", false, 0)];
        _harness.Metrics.ObserveUpstreams(() => upstreams);

        Assert.Equal(["ollama_gateway_upstream_healthy{upstream=\"gpu-a\"} 1", "ollama_gateway_upstream_healthy{upstream=\"gpu-b\"} 0"], _harness.Lines("ollama_gateway_upstream_healthy{"));
        Assert.Equal(["ollama_gateway_upstream_in_flight{upstream=\"gpu-a\"} 2", "ollama_gateway_upstream_in_flight{upstream=\"gpu-b\"} 0"], _harness.Lines("ollama_gateway_upstream_in_flight{"));

        upstreams = [new("gpu-a", true, 1)];
        Assert.Equal(["ollama_gateway_upstream_in_flight{upstream=\"gpu-a\"} 1"], _harness.Lines("ollama_gateway_upstream_in_flight{"));
    }

    [Fact]
    public async Task Exposition_PassesPromtoolCheckMetrics()
    {
        Finish(Served("/v1/chat/completions", new TokenUsage(10, 5)));
        Finish(Served("/api/embed", new TokenUsage(3, 0)));
        var refused = _harness.Start("/api/tags", key: null);
        refused.Fail(GatewayError.InvalidKey);
        refused.Finish(401, clientAborted: false);
        _harness.Metrics.Record(refused);
        _harness.Metrics.ObserveLedgerQueue(() => 0);
        _harness.Metrics.LedgerDropped(1);
        _harness.Metrics.ObserveUpstreams(() => [new UpstreamObservation("default", true, 0)]);

        var exposition = _harness.Collector.Collect();
        var check = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(check.ExitCode == 0, $"promtool check metrics exited {check.ExitCode}:\n{check.Output}\n{exposition}");
    }

    private RequestRecord Served(string path, TokenUsage usage)
    {
        var record = _harness.Start(path);
        record.Upstream = "default";
        _harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        record.MarkFirstByte();
        record.SetUsage(usage);
        return record;
    }

    private void Finish(RequestRecord record)
    {
        record.Finish(200, clientAborted: false);
        _harness.Metrics.Record(record);
    }
}
