using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Emulator;
using OllamaGateway.Errors;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;

namespace OllamaGateway.Tests.Pipeline;

/// <summary>
/// The per-request record the pipeline keeps in <c>HttpContext.Features</c> holds what accounting and logs need: who,
/// which route and model, where it went, how it ended and why, when, and Ollama's exact token counts.
/// </summary>
public sealed class RequestRecordTests : IAsyncLifetime
{
    private const string Chat = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""";
    private GatewayTestHost _server = null!;
    private FunctionsHarness _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayTestHost.StartAsync(keysJson: $$"""{"keys": ["{{GatewayTestHost.Key}}", {"name": "limited", "key": "sk-limited-0123456789", "models": ["qwen3"]}]}""");
        _gateway = await FunctionsHarness.StartAsync(_server.Emulator.BaseAddress.ToString(), _server.KeysFile);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TranslatedChat_RecordsKeyRouteModelUpstreamAndOllamasCounts()
    {
        var (context, record) = await InvokeAsync("POST", "/v1/chat/completions", GatewayTestHost.Key, Chat);

        var usage = JsonDocument.Parse(FunctionsHarness.ResponseText(context)).RootElement.GetProperty("usage");
        Assert.Equal("keys[0]", record.KeyName);
        Assert.Equal("/v1/chat/completions", record.Route?.Name);
        Assert.Equal("llama3.2", record.RequestedModel);
        Assert.Equal("llama3.2", record.UpstreamModel);
        Assert.Equal("default", record.Upstream);
        Assert.Equal(200, record.Status);
        Assert.Equal(RequestOutcome.Completed, record.Outcome);
        Assert.Equal(GatewayError.None, record.Reason);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), record.PromptTokens);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), record.CompletionTokens);
        Assert.True(record.CompletionTokens > 0);
        Assert.False(record.TokensEstimated);
        Assert.NotNull(record.TimeToFirstByte);
        Assert.True(record.TimeToFirstByte <= record.Duration);
        Assert.Equal(Encoding.UTF8.GetByteCount(Chat), record.RequestBytes);
    }

    [Fact]
    public async Task StreamedChat_RecordsTheCountsOfOllamasFinalLine()
    {
        var body = """{"model":"llama3.2","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""";

        var (context, record) = await InvokeAsync("POST", "/v1/chat/completions", GatewayTestHost.Key, body);

        var usage = FunctionsHarness.ResponseText(context).Split("\n\n")
            .Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)
            .Single(e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            .GetProperty("usage");
        Assert.Equal(RequestOutcome.Completed, record.Outcome);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), record.PromptTokens);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), record.CompletionTokens);
        Assert.False(record.TokensEstimated);
    }

    [Fact]
    public async Task NativePassthrough_RecordsItsUpstreamAndModel()
    {
        var (_, record) = await InvokeAsync("POST", "/api/chat", GatewayTestHost.Key, Chat);

        Assert.Equal("/api/chat", record.Route?.Name);
        Assert.Equal("llama3.2", record.RequestedModel);
        Assert.Equal("default", record.Upstream);
        Assert.Equal(200, record.Status);
        Assert.Equal(RequestOutcome.Completed, record.Outcome);
        Assert.NotNull(record.TimeToFirstByte);
    }

    [Theory]
    [InlineData("/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/api/chat", """{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/api/generate", """{"model":"llama3.2","prompt":"hi"}""")]
    [InlineData("/api/generate", """{"model":"llama3.2","prompt":"hi","stream":false}""")]
    [InlineData("/api/embed", """{"model":"llama3.2","input":["hi","there"]}""")]
    public async Task NativeInference_RecordsOllamasExactCountsFromTheRelayedAnswer(string path, string body)
    {
        var (context, record) = await InvokeAsync("POST", path, GatewayTestHost.Key, body);

        var text = FunctionsHarness.ResponseText(context);
        var final = JsonDocument.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal(final.GetProperty("prompt_eval_count").GetInt64(), record.PromptTokens);
        Assert.Equal(final.TryGetProperty("eval_count", out var eval) ? eval.GetInt64() : 0, record.CompletionTokens);
        Assert.True(record.PromptTokens > 0);
        Assert.False(record.TokensEstimated);
        Assert.Equal(RequestOutcome.Completed, record.Outcome);
    }

    [Fact]
    public async Task LegacyEmbeddings_WithoutCounts_RecordsZeroExactly()
    {
        var (_, record) = await InvokeAsync("POST", "/api/embeddings", GatewayTestHost.Key, """{"model":"llama3.2","prompt":"hi"}""");

        Assert.Equal(200, record.Status);
        Assert.Equal(0, record.PromptTokens);
        Assert.Equal(0, record.CompletionTokens);
        Assert.False(record.TokensEstimated);
    }

    [Fact]
    public async Task NativeStreamCutByTheClient_RecordsTheLinesRelayedAsAnEstimate()
    {
        await using var server = await GatewayTestHost.StartAsync(new EmulatorOptions { ChunkCount = 20, StallAfterLines = 6 });
        await using var gateway = await FunctionsHarness.StartAsync(server.Emulator.BaseAddress.ToString(), server.KeysFile);
        var context = FunctionsHarness.CreateContext("POST", "/api/chat", GatewayTestHost.Key, Chat);
        var body = new LineCountingStream(lines: 6);
        context.Response.Body = body;
        using var abort = new CancellationTokenSource();

        var running = gateway.Pipeline.InvokeAsync(context, abort.Token);
        await body.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        await abort.CancelAsync();
        await running;

        var record = context.Features.Get<RequestRecord>()!;
        Assert.Equal(RequestOutcome.ClientClosed, record.Outcome);
        Assert.True(record.TokensEstimated);
        Assert.Equal(6, record.CompletionTokens);
    }

    [Fact]
    public async Task NativeStreamWithOllamasErrorLine_IsAnUpstreamError()
    {
        await using var server = await GatewayTestHost.StartAsync(new EmulatorOptions { ChunkCount = 10, MidStreamErrorAfterLines = 4 });
        await using var gateway = await FunctionsHarness.StartAsync(server.Emulator.BaseAddress.ToString(), server.KeysFile);
        var context = FunctionsHarness.CreateContext("POST", "/api/chat", GatewayTestHost.Key, Chat);

        await gateway.Pipeline.InvokeAsync(context, CancellationToken.None);

        var record = context.Features.Get<RequestRecord>()!;
        Assert.Equal(200, record.Status);
        Assert.Equal(RequestOutcome.UpstreamError, record.Outcome);
        Assert.True(record.TokensEstimated);
        Assert.Equal(4, record.CompletionTokens);
    }

    [Theory]
    [InlineData(null, "/api/tags", null, 401, "MissingKey")]
    [InlineData("sk-wrong-0123456789", "/api/tags", null, 401, "InvalidKey")]
    [InlineData(GatewayTestHost.Key, "/api/nothing", null, 404, "RouteNotFound")]
    [InlineData(GatewayTestHost.Key, "/api/pull", """{"model":"x"}""", 403, "Forbidden")]
    [InlineData("sk-limited-0123456789", "/v1/chat/completions", Chat, 403, "ModelForbidden")]
    [InlineData("sk-limited-0123456789", "/api/chat", Chat, 403, "ModelForbidden")]
    [InlineData(GatewayTestHost.Key, "/v1/chat/completions", """{"model":"llama3.2"}""", 400, "InvalidRequest")]
    public async Task Refusal_IsRecordedWithItsReasonAndNoTokens(string? key, string path, string? body, int status, string reasonName)
    {
        var reason = Enum.Parse<GatewayError>(reasonName);
        var (_, record) = await InvokeAsync(body is null ? "GET" : "POST", path, key, body);

        Assert.Equal(status, record.Status);
        Assert.Equal(RequestOutcome.Refused, record.Outcome);
        Assert.Equal(reason, record.Reason);
        Assert.Equal(0, record.PromptTokens);
        Assert.Equal(0, record.CompletionTokens);
        Assert.Null(record.Upstream);
    }

    [Fact]
    public async Task OllamaDown_IsRecordedAsAnUpstreamError()
    {
        await using var gateway = await FunctionsHarness.StartAsync("http://127.0.0.1:1", _server.KeysFile);
        var context = FunctionsHarness.CreateContext("POST", "/v1/chat/completions", GatewayTestHost.Key, Chat);

        await gateway.Pipeline.InvokeAsync(context, CancellationToken.None);

        var record = context.Features.Get<RequestRecord>()!;
        Assert.Equal(502, record.Status);
        Assert.Equal(RequestOutcome.UpstreamError, record.Outcome);
        Assert.Equal(GatewayError.UpstreamUnavailable, record.Reason);
        Assert.Equal("default", record.Upstream);
    }

    [Fact]
    public async Task ClientAbortMidStream_RecordsTheChunksRelayedAsAnEstimate()
    {
        await using var server = await GatewayTestHost.StartAsync(new EmulatorOptions { ChunkCount = 20, StallAfterLines = 5 });
        await using var gateway = await FunctionsHarness.StartAsync(server.Emulator.BaseAddress.ToString(), server.KeysFile);
        var context = FunctionsHarness.CreateContext("POST", "/v1/chat/completions", GatewayTestHost.Key, """{"model":"llama3.2","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var body = new EventCountingStream(events: 5);
        context.Response.Body = body;
        using var abort = new CancellationTokenSource();

        var running = gateway.Pipeline.InvokeAsync(context, abort.Token);
        await body.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        await abort.CancelAsync();
        await running;

        var record = context.Features.Get<RequestRecord>()!;
        Assert.Equal(RequestOutcome.ClientClosed, record.Outcome);
        Assert.True(record.TokensEstimated);
        Assert.Equal(5, record.CompletionTokens);
        var upstream = await server.Emulator.WaitForRequestAsync(r => r.Path == "/api/chat", TimeSpan.FromSeconds(30));
        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<(HttpContext Context, RequestRecord Record)> InvokeAsync(string method, string path, string? key, string? body)
    {
        var context = FunctionsHarness.CreateContext(method, path, key, body);
        await _gateway.Pipeline.InvokeAsync(context, CancellationToken.None);
        var record = context.Features.Get<RequestRecord>();
        Assert.NotNull(record);
        Assert.True(record.IsFinished);
        return (context, record);
    }

    /// <summary>A response body that says when an NDJSON stream has carried a number of lines.</summary>
    private sealed class LineCountingStream(int lines) : MemoryStream
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            if (GetBuffer().AsSpan(0, (int)Length).Count((byte)'\n') >= lines)
            {
                _reached.TrySetResult();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A response body that says when the stream has carried a number of SSE events.</summary>
    private sealed class EventCountingStream(int events) : MemoryStream
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        // Every write path ends here; MemoryStream routes a derived type's span writes through this overload.
        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            if (Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length).Split("data: ").Length - 1 >= events)
            {
                _reached.TrySetResult();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }
}
