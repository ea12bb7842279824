using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OllamaGateway.Emulator;
using OllamaGateway.SharedState;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;
using Xunit.Abstractions;

namespace OllamaGateway.Tests.SharedState;

/// <summary>
/// Several Gateway.Server instances over one real Redis: every per-key limit, the failed-authentication throttle and
/// the usage report hold across them, whichever instance a request reaches.
/// </summary>
public sealed class SharedLimitsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ChatBody = """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}""";
    private RedisTestServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.StartAsync(output);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RequestsPerMinute_IsExactAcrossInstances_AndEveryInstanceRefusesWithRetryAfter(int instances)
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, instances, """{"keys": [{"name": "five", "key": "sk-five-0123456789", "limits": {"requestsPerMinute": 5}}]}""");
        var clients = Enumerable.Range(0, instances).Select(i => cluster.Client(i, "sk-five-0123456789")).ToArray();

        // A burst of 20 at once, spread over the instances.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => clients[i % instances].GetAsync("api/version")));

        Assert.Equal(5, responses.Count(response => response.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(response => response.StatusCode != HttpStatusCode.OK), response =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        });
        Assert.Equal(5, cluster.Emulator.Requests.Count);

        // Then every instance refuses.
        foreach (var client in clients)
        {
            using var refused = await client.GetAsync("api/version");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task FunctionsAndServerInstances_ShareOneRedis()
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, 1, """{"keys": [{"name": "three", "key": "sk-three-0123456789", "limits": {"requestsPerMinute": 3}}]}""");
        await using var functions = await FunctionsHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:OllamaUrl"] = cluster.Emulator.BaseAddress.ToString().TrimEnd('/'),
            ["Gateway:KeysFile"] = cluster.Directory.PathOf("keys.json"),
            ["Gateway:Redis:Configuration"] = _redis.Configuration,
            ["Gateway:Redis:KeyPrefix"] = cluster.Prefix,
        });
        using var server = cluster.Client(0, "sk-three-0123456789");

        var first = FunctionsHarness.CreateContext("GET", "/api/version", "sk-three-0123456789");
        await functions.Pipeline.InvokeAsync(first);
        Assert.Equal(StatusCodes.Status200OK, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("api/version")).StatusCode);

        var refused = FunctionsHarness.CreateContext("GET", "/v1/models", "sk-three-0123456789");
        await functions.Pipeline.InvokeAsync(refused);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(refused.Response.Headers.RetryAfter));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task ConcurrentRequests_HoldAcrossInstances()
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, 2, """{"keys": [{"name": "one", "key": "sk-one-0123456789", "limits": {"concurrentRequests": 1}}]}""",
            new EmulatorOptions { StallAfterLines = 1 });
        using var first = cluster.Client(0, "sk-one-0123456789");
        using var second = cluster.Client(1, "sk-one-0123456789");

        using var cancel = new CancellationTokenSource();
        var streaming = await first.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent(ChatBody.Replace("false", "true", StringComparison.Ordinal), Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);

        using var refused = await second.GetAsync("api/version");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("concurrent requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The stream ends (the client leaves): its slot is released, and the other instance may use it.
        await cancel.CancelAsync();
        streaming.Dispose();
        Assert.Equal(HttpStatusCode.OK, await PollAsync(() => second.GetAsync("api/version"), status => status == HttpStatusCode.OK));
    }

    [Fact]
    public async Task TokenBudget_SpentOnOneInstance_RefusesOnTheOther()
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, 2, """{"keys": [{"name": "budget", "key": "sk-budget-0123456789", "limits": {"tokensPerDay": 5}}]}""");
        using var first = cluster.Client(0, "sk-budget-0123456789");
        using var second = cluster.Client(1, "sk-budget-0123456789");

        using var spent = await first.PostAsync("api/chat", new StringContent(ChatBody, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, spent.StatusCode);
        var tokens = Tokens(await spent.Content.ReadAsStringAsync());
        Assert.True(tokens >= 5, $"the emulator's answer should spend the budget of 5 (it spent {tokens})");

        // The spend is written after the answer: wait for Redis to hold it, then ask the other instance.
        await WaitUntilAsync(async () => (long)await _redis.Database.HashGetAsync(new RedisKeyNames(cluster.Prefix).Tokens("budget"), "dt") >= tokens);
        using var refused = await second.PostAsync("v1/chat/completions", new StringContent(ChatBody, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("tokens per day", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);

        // Listing models costs no tokens.
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("api/tags")).StatusCode);
    }

    [Fact]
    public async Task FailedAuthentications_AreCountedAcrossInstances()
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, 3, """{"keys": [{"name": "good", "key": "sk-good-0123456789"}]}""", extraArgs: "--Gateway:FailedAuthPerMinute=3");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var guesser = cluster.Client(i % 3, "sk-guess-" + i);
            using var response = await guesser.GetAsync("api/version");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using var good = cluster.Client(2, "sk-good-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task UsageReport_OverRedis_IsTheSumOfWhatEveryInstanceServed()
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, 3, """{"keys": [{"name": "alpha", "key": "sk-alpha-0123456789"}, {"name": "beta", "key": "sk-beta-0123456789", "models": ["llama3.2"]}]}""");
        var sent = 0;
        for (var instance = 0; instance < 3; instance++)
        {
            using var alpha = cluster.Client(instance, "sk-alpha-0123456789");
            using var beta = cluster.Client(instance, "sk-beta-0123456789");
            for (var i = 0; i <= instance; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await alpha.PostAsync("v1/chat/completions", new StringContent(ChatBody, Encoding.UTF8, "application/json"))).StatusCode);
                sent++;
            }

            Assert.Equal(HttpStatusCode.OK, (await beta.PostAsync("api/chat", new StringContent(ChatBody, Encoding.UTF8, "application/json"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await beta.GetAsync("api/tags")).StatusCode);

            // Refused (a model beta may not use): counted as a request and an error.
            Assert.Equal(HttpStatusCode.Forbidden, (await beta.PostAsync("api/chat", new StringContent(ChatBody.Replace("llama3.2", "qwen3", StringComparison.Ordinal), Encoding.UTF8, "application/json"))).StatusCode);
            sent += 3;
        }

        var now = DateTimeOffset.UtcNow;
        var query = new UsageQuery(now.AddDays(-1), now.AddHours(1), null, null, [UsageGrouping.Key, UsageGrouping.Model]);

        // What each instance served, from its own ledger.
        var served = new List<UsageReport>();
        for (var instance = 0; instance < 3; instance++)
        {
            using var ledger = SqliteUsageLedger.OpenForReading(cluster.Directory.PathOf($"usage-{instance}.db"));
            served.Add(await WaitForReportAsync(ledger, query, instance + 1 + 3));
        }

        var expected = served.SelectMany(report => report.Rows)
            .GroupBy(row => (row.Key, row.Model))
            .Select(group => new UsageRow(group.Key.Key, group.Key.Model, null, group.Select(row => row.Counters).Aggregate(UsageCounters.Zero, (a, b) => a.Add(b))))
            .OrderBy(row => row.Key, StringComparer.Ordinal).ThenBy(row => row.Model, StringComparer.Ordinal)
            .ToList();

        // The report of any instance, and the usage command's source pointed at the same Redis, say the same.
        var shared = await WaitForReportAsync(cluster.Instances[2].Services.GetRequiredService<IUsageReportSource>(), query, sent);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Redis:Configuration"] = _redis.Configuration,
            ["Gateway:Redis:KeyPrefix"] = cluster.Prefix,
        }).Build();
        var source = UsageReportSources.Open(configuration, cluster.Directory.Path);
        UsageReport fromCommand;
        try
        {
            fromCommand = await source.QueryAsync(query, CancellationToken.None);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }

        Assert.IsType<RedisUsageReportSource>(source);
        Assert.Equal(expected, shared.Rows);
        Assert.Equal(expected, fromCommand.Rows);
        Assert.Equal(served.Select(report => report.Totals).Aggregate(UsageCounters.Zero, (a, b) => a.Add(b)), shared.Totals);
        Assert.True(shared.Totals.PromptTokens > 0 && shared.Totals.CompletionTokens > 0);
        Assert.Equal(3, shared.Totals.Errors);
    }

    private static long Tokens(string nativeAnswer)
    {
        var root = JsonDocument.Parse(nativeAnswer).RootElement;
        return root.GetProperty("prompt_eval_count").GetInt64() + root.GetProperty("eval_count").GetInt64();
    }

    private static async Task<UsageReport> WaitForReportAsync(IUsageReportSource source, UsageQuery query, long requests)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var report = await source.QueryAsync(query, CancellationToken.None);
            if (report.Totals.Requests >= requests)
            {
                return report;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    private static async Task<HttpStatusCode> PollAsync(Func<Task<HttpResponseMessage>> send, Func<HttpStatusCode, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await send();
            if (done(response.StatusCode))
            {
                return response.StatusCode;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
