using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// Who used what, end to end: requests on every inference route, streamed and not, made with the OpenAI SDK,
/// OllamaSharp and plain HTTP, land in the usage ledger with exactly the counts Ollama (the emulator) reported, and the
/// report over HTTP, the <c>usage</c> command and <c>/metrics</c> all show the same sums.
/// </summary>
public sealed class UsageAccountingTests : IAsyncLifetime
{
    private const string Alice = "sk-alice-0123456789";
    private const string Admin = "sk-admin-0123456789";
    private const string Limited = "sk-limited-0123456789";
    private const string Slow = "sk-slow-0123456789";
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(keysJson: $$$"""
        {"keys": [
          {"name": "alice", "key": "{{{Alice}}}"},
          {"name": "admin", "key": "{{{Admin}}}", "admin": true},
          {"name": "limited", "key": "{{{Limited}}}", "models": ["qwen3*"]},
          {"name": "slow", "key": "{{{Slow}}}", "limits": {"requestsPerMinute": 1}}
        ]}
        """);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string LedgerPath => _host.Directory.PathOf("usage.db");

    [Fact]
    public async Task EveryInferenceRoute_IsRecordedWithOllamasExactCounts_InTheLedgerTheReportsAndMetrics()
    {
        var expected = new List<(string Model, long Prompt, long Completion)>
        {
            await SdkChatAsync(stream: false),
            await SdkChatAsync(stream: true),
            await SdkEmbeddingsAsync(),
            await OllamaSharpChatAsync(),
            await OllamaSharpGenerateAsync(),
            await OllamaSharpEmbedAsync(),
            await HttpAsync("v1/completions", """{"model":"llama3.2","prompt":"hi"}"""),
            await HttpAsync("v1/completions", """{"model":"llama3.2","prompt":"hi","stream":true,"stream_options":{"include_usage":true}}"""),
            await HttpAsync("api/chat", """{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"hi"}]}"""),
            await HttpAsync("api/generate", """{"model":"llama3.2","stream":false,"prompt":"hi"}"""),
            await HttpAsync("api/embeddings", """{"model":"nomic-embed-text","prompt":"hi"}"""),
        };
        Assert.All(expected, e => Assert.True(e.Prompt + e.Completion > 0 || e.Model == "nomic-embed-text"));
        var prompt = expected.Sum(e => e.Prompt);
        var completion = expected.Sum(e => e.Completion);

        // The HTTP report, once the ledger's writer has caught up.
        using var admin = _host.CreateClient(Admin);
        var report = await WaitForReportAsync(admin, "gateway/usage?by=key", expected.Count);
        var alice = report.GetProperty("rows").EnumerateArray().Single(row => row.GetProperty("key").GetString() == "alice");
        Assert.Equal(prompt, alice.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(completion, alice.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(prompt + completion, alice.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0, alice.GetProperty("errors").GetInt64());

        // A key's own report.
        using var aliceClient = _host.CreateClient(Alice);
        var own = JsonDocument.Parse(await aliceClient.GetStringAsync("gateway/usage/me?by=model")).RootElement;
        foreach (var model in expected.GroupBy(e => e.Model))
        {
            var row = own.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("model").GetString() == model.Key);
            Assert.Equal(model.Sum(e => e.Prompt), row.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(model.Sum(e => e.Completion), row.GetProperty("completion_tokens").GetInt64());
        }

        // The usage command, reading the same ledger.
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLine.Run(["usage", "--key", "alice", "--format", "json", $"--Gateway:KeysFile={_host.KeysFile}"], new CommandContext(output, error, TimeProvider.System, _host.Directory.Path));
        Assert.True(exit == 0, error.ToString());
        var totals = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("totals");
        Assert.Equal(prompt, totals.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(completion, totals.GetProperty("completion_tokens").GetInt64());

        // Prometheus: the token counters by key, model and type.
        var metrics = await admin.GetStringAsync("metrics");
        Assert.Equal(prompt, CounterSum(metrics, "ollama_gateway_tokens_total", "key=\"alice\"", "type=\"input\""));
        Assert.Equal(completion, CounterSum(metrics, "ollama_gateway_tokens_total", "key=\"alice\"", "type=\"output\""));

        // And row by row in the ledger, after a graceful stop has drained the writer.
        await _host.App.StopAsync();
        using var ledger = SqliteUsageLedger.OpenForReading(LedgerPath);
        var byModel = await ledger.QueryAsync(new UsageQuery(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), "alice", null, [UsageGrouping.Model]), CancellationToken.None);
        Assert.Equal(expected.Count + 1, byModel.Totals.Requests); // and alice's own report, a request too
        Assert.Equal(expected.Count, byModel.Rows.Where(row => row.Model is not null).Sum(row => row.Counters.Requests));
        Assert.Equal(prompt, byModel.Totals.PromptTokens);
        Assert.Equal(completion, byModel.Totals.CompletionTokens);
    }

    [Fact]
    public async Task StreamCutShortByTheClient_IsRecordedWithTheLinesRelayed_AsAnEstimate()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { ChunkCount = 30, StallAfterLines = 4 }, keysJson: $$"""{"keys": [{"name": "alice", "key": "{{Alice}}"}, {"name": "admin", "key": "{{Admin}}", "admin": true}]}""");
        using var client = host.CreateClient(Alice);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json") })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            for (var i = 0; i < 4; i++)
            {
                Assert.NotNull(await reader.ReadLineAsync());
            }
        }

        using var admin = host.CreateClient(Admin);
        await WaitForReportAsync(admin, "gateway/usage?by=key", 1);
        await host.App.StopAsync();
        var row = Assert.Single(await RowsAsync(host.Directory.PathOf("usage.db")), r => r.Key == "alice");
        Assert.Equal("client_closed", row.Outcome);
        Assert.Equal(4, row.CompletionTokens);
        Assert.True(row.Estimated);
    }

    [Fact]
    public async Task RefusedRequests_AreRecordedWithTheirReasonsAndNoTokens()
    {
        using var anonymous = _host.CreateClient(key: null);
        using var limited = _host.CreateClient(Limited);
        using var alice = _host.CreateClient(Alice);
        using var slow = _host.CreateClient(Slow);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/tags")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.PostAsync("api/chat", Json("""{"model":"llama3.2","messages":[]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("api/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await alice.PostAsync("api/show", Json($$"""{"model":"{{new string('x', 70_000)}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("api/tags")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await slow.GetAsync("api/tags")).StatusCode);

        using var admin = _host.CreateClient(Admin);
        await WaitForReportAsync(admin, "gateway/usage?by=key", 6);
        await _host.App.StopAsync();
        var rows = await RowsAsync(LedgerPath);
        Assert.Equal(
            new[] { "MissingKey:401", "ModelForbidden:403", "RouteNotFound:404", "RequestBodyTooLarge:413", "RateLimited:429" }.Order(StringComparer.Ordinal),
            rows.Where(r => r.Outcome == "refused").Select(r => $"{r.Reason}:{r.Status}").Order(StringComparer.Ordinal));
        Assert.All(rows.Where(r => r.Outcome == "refused"), r => Assert.Equal(0, r.PromptTokens + r.CompletionTokens));
        Assert.Null(rows.Single(r => r.Reason == "MissingKey").Key);
    }

    [Fact]
    public async Task UsageOfEveryKey_IsForAdmins_AndOwnUsageRefusesOtherKeys()
    {
        using var alice = _host.CreateClient(Alice);

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("gateway/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync("gateway/usage/me?key=admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("gateway/usage/me")).StatusCode);
        var bad = await alice.GetAsync("gateway/usage/me?since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'since'", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<(string Model, long Prompt, long Completion)> SdkChatAsync(bool stream)
    {
        var chat = new ChatClient("llama3.2", new ApiKeyCredential(Alice), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "v1") });
        if (!stream)
        {
            ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Say hello")]);
            return ("llama3.2", completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount);
        }

        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            usage = update.Usage ?? usage;
        }

        return ("llama3.2", usage!.InputTokenCount, usage.OutputTokenCount);
    }

    private async Task<(string Model, long Prompt, long Completion)> SdkEmbeddingsAsync()
    {
        var client = new EmbeddingClient("nomic-embed-text", new ApiKeyCredential(Alice), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "v1") });
        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["first text", "second text"]);
        return ("nomic-embed-text", embeddings.Usage.InputTokenCount, 0);
    }

    private async Task<(string Model, long Prompt, long Completion)> OllamaSharpChatAsync()
    {
        using var http = _host.CreateClient(Alice);
        var ollama = new OllamaApiClient(http, "llama3.2");
        ChatDoneResponseStream? done = null;
        await foreach (var piece in ollama.ChatAsync(new ChatRequest { Model = "llama3.2", Messages = [new Message(ChatRole.User, "hello")], Stream = true }))
        {
            done = piece as ChatDoneResponseStream ?? done;
        }

        return ("llama3.2", done!.PromptEvalCount, done.EvalCount);
    }

    private async Task<(string Model, long Prompt, long Completion)> OllamaSharpGenerateAsync()
    {
        using var http = _host.CreateClient(Alice);
        var ollama = new OllamaApiClient(http, "llama3.2");
        OllamaSharp.Models.GenerateDoneResponseStream? done = null;
        await foreach (var piece in ollama.GenerateAsync(new GenerateRequest { Model = "llama3.2", Prompt = "hello", Stream = true }))
        {
            done = piece as OllamaSharp.Models.GenerateDoneResponseStream ?? done;
        }

        return ("llama3.2", done!.PromptEvalCount, done.EvalCount);
    }

    private async Task<(string Model, long Prompt, long Completion)> OllamaSharpEmbedAsync()
    {
        using var http = _host.CreateClient(Alice);
        var ollama = new OllamaApiClient(http, "nomic-embed-text");
        var result = await ollama.EmbedAsync(new EmbedRequest { Model = "nomic-embed-text", Input = ["one", "two"] });
        return ("nomic-embed-text", result.PromptEvalCount ?? 0, 0);
    }

    // Plain HTTP: the counts come from the answer itself (OpenAI usage, or Ollama's final line / object).
    private async Task<(string Model, long Prompt, long Completion)> HttpAsync(string path, string body)
    {
        using var client = _host.CreateClient(Alice);
        using var response = await client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = JsonDocument.Parse(body).RootElement.GetProperty("model").GetString()!;
        if (text.StartsWith("data: ", StringComparison.Ordinal))
        {
            var usage = text.Split("\n\n").Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
                .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)
                .Single(e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).GetProperty("usage");
            return (model, usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64());
        }

        var root = JsonDocument.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        if (root.TryGetProperty("usage", out var openAi))
        {
            return (model, openAi.GetProperty("prompt_tokens").GetInt64(), openAi.TryGetProperty("completion_tokens", out var c) ? c.GetInt64() : 0);
        }

        return (model, root.TryGetProperty("prompt_eval_count", out var p) ? p.GetInt64() : 0, root.TryGetProperty("eval_count", out var e) ? e.GetInt64() : 0);
    }

    // The ledger is written off the request path: wait (polling, bounded) until it holds the requests made.
    private static async Task<JsonElement> WaitForReportAsync(HttpClient admin, string path, int requests)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var report = JsonDocument.Parse(await admin.GetStringAsync(path, timeout.Token)).RootElement;
            if (report.GetProperty("totals").GetProperty("requests").GetInt64() >= requests)
            {
                return report;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task<List<LedgerRow>> RowsAsync(string path)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, status, outcome, reason, prompt_tokens, completion_tokens, estimated FROM requests ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<LedgerRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new LedgerRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6) == 1));
        }

        return rows;
    }

    private static long CounterSum(string exposition, string name, params string[] labels) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private sealed record LedgerRow(string? Key, int Status, string Outcome, string? Reason, long PromptTokens, long CompletionTokens, bool Estimated);
}
