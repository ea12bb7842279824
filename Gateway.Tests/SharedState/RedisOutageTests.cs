using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OllamaGateway.Emulator;
using OllamaGateway.SharedState;
using OllamaGateway.Tests.Common;
using OllamaGateway.Tests.Deployment;
using OllamaGateway.Usage;
using Xunit.Abstractions;

namespace OllamaGateway.Tests.SharedState;

/// <summary>
/// What happens when a part of the shared state fails: Redis stops (requests go on with per-instance limits, usage is
/// buffered and written when it returns), or an instance dies holding a concurrency slot (the slot frees when its lease
/// expires).
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisTestServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.StartAsync(output);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task RedisStopped_RequestsAreServedWithPerInstanceLimits_AndUsageArrivesWhenItReturns()
    {
        const string Keys = """{"keys": [{"name": "limited", "key": "sk-limited-0123456789", "limits": {"requestsPerMinute": 3}}, {"name": "free", "key": "sk-free-0123456789"}, {"name": "ops", "key": "sk-ops-0123456789", "metrics": true}]}""";
        await using var cluster = await GatewayCluster.StartAsync(_redis, 2, Keys);
        Assert.Equal(0, MetricsScrape.Value(await MetricsScrape.GetAsync(cluster.Addresses[0], "sk-ops-0123456789"), "ollama_gateway_redis_degraded"));
        using var readiness = new HttpClient();
        Assert.All(await Task.WhenAll(cluster.Addresses.Select(address => ReadinessAsync(readiness, address))), state => Assert.Equal(("ready", true), state));

        await _redis.StopAsync();

        // Not one request fails because of it; the limited key gets its limit on each instance.
        var statuses = new List<HttpStatusCode>();
        var sentDuringOutage = 0;
        for (var instance = 0; instance < 2; instance++)
        {
            using var free = cluster.Client(instance, "sk-free-0123456789");
            using var limited = cluster.Client(instance, "sk-limited-0123456789");
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await free.GetAsync("api/version")).StatusCode);
                statuses.Add((await limited.GetAsync("api/version")).StatusCode);
                sentDuringOutage += 2;
            }
        }

        Assert.Equal(6, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(4, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
        Assert.All(await Task.WhenAll(cluster.Addresses.Select(address => ReadinessAsync(readiness, address))), state => Assert.Equal(("degraded", false), state));
        Assert.All(cluster.Instances, instance => Assert.True(instance.Services.GetRequiredService<RedisKeyLimits>().Buffered > 0));

        Assert.Equal(1, MetricsScrape.Value(await MetricsScrape.GetAsync(cluster.Addresses[1], "sk-ops-0123456789"), "ollama_gateway_redis_degraded"));

        // One warning per instance for the whole outage, however many requests it served meanwhile.
        Assert.All(cluster.Logs, log => Assert.Single(log.Entries, entry => entry.EventId.Name == "RedisUnavailable"));

        // Redis returns (empty: it keeps nothing on disk here); the buffered usage is written, shared limits apply again.
        await _redis.StartAgainAsync();
        foreach (var address in cluster.Addresses)
        {
            await WaitUntilAsync(async () => await ReadinessAsync(readiness, address) == ("ready", true));
        }

        var now = DateTimeOffset.UtcNow;
        var query = new UsageQuery(now.AddDays(-1), now.AddHours(1), null, null, [UsageGrouping.Key]);
        var source = cluster.Instances[0].Services.GetRequiredService<IUsageReportSource>();
        var keyed = query with { By = [UsageGrouping.Key] };
        await WaitUntilAsync(async () => (await source.QueryAsync(keyed, CancellationToken.None)).Rows.Where(row => row.Key != "ops").Sum(row => row.Counters.Requests) >= sentDuringOutage);
        var report = await source.QueryAsync(keyed, CancellationToken.None);
        Assert.Equal([("free", 10L, 0L), ("limited", 10L, 4L)], report.Rows.Where(row => row.Key != "ops").Select(row => (row.Key!, row.Counters.Requests, row.Counters.Errors)));
        Assert.All(cluster.Instances, instance => Assert.Equal(0, instance.Services.GetRequiredService<RedisKeyLimits>().Buffered));
        Assert.Equal(0, MetricsScrape.Value(await MetricsScrape.GetAsync(cluster.Addresses[1], "sk-ops-0123456789"), "ollama_gateway_redis_degraded"));
        foreach (var log in cluster.Logs)
        {
            // The summary when it ends: how many requests the instance limited alone.
            var restored = Assert.Single(log.Entries, entry => entry.EventId.Name == "RedisRestored");
            Assert.Contains("5 requests were limited by this instance alone", restored.Message, StringComparison.Ordinal);
            Assert.Single(log.Entries, entry => entry.EventId.Name == "RedisUnavailable");
        }

        var afterwards = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var limited = cluster.Client(i % 2, "sk-limited-0123456789");
            using var response = await limited.GetAsync("api/version");
            return response.StatusCode;
        }));
        Assert.Equal(3, afterwards.Count(status => status == HttpStatusCode.OK));
    }

    [Fact]
    public async Task KilledInstance_ItsConcurrencySlotFreesWhenItsLeaseExpires()
    {
        const string Keys = """{"keys": [{"name": "one", "key": "sk-one-0123456789", "limits": {"concurrentRequests": 1}}]}""";
        var ttl = TimeSpan.FromSeconds(2);
        await using var cluster = await GatewayCluster.StartAsync(_redis, 1, Keys, new EmulatorOptions { StallAfterLines = 1 }, $"--Gateway:Redis:LeaseTtl={ttl:c}");
        var leases = new RedisKeyNames(cluster.Prefix).Leases("one");

        // The instance that dies is a process of its own, killed with SIGKILL: nothing of it runs after.
        await using var doomed = GatewayProcess.Start(DotnetCli.HostPath, cluster.Directory.Path,
            ["exec", Path.Combine(AppContext.BaseDirectory, "Gateway.Server.dll"), "--urls", "http://127.0.0.1:0",
             $"--Gateway:OllamaUrl={cluster.Emulator.BaseAddress.ToString().TrimEnd('/')}", $"--Gateway:KeysFile={cluster.Directory.PathOf("keys.json")}",
             $"--Gateway:Usage:Path={cluster.Directory.PathOf("doomed.db")}", .. cluster.RedisArgs($"--Gateway:Redis:LeaseTtl={ttl:c}")]);
        using var toDoomed = new HttpClient { BaseAddress = await doomed.WaitUntilListeningAsync(TimeSpan.FromMinutes(1)) };
        toDoomed.DefaultRequestHeaders.Authorization = new("Bearer", "sk-one-0123456789");
        using var survivor = cluster.Client(0, "sk-one-0123456789");

        var stream = await toDoomed.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/chat")
        {
            Content = new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var acquired = await _redis.TimeAsync();
        Assert.Equal(1, await _redis.Database.SortedSetLengthAsync(leases));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await survivor.GetAsync("api/version")).StatusCode);

        // The living instance renews its lease: two lease lifetimes later (on Redis's clock) the slot is still taken.
        await WaitUntilAsync(async () => await _redis.TimeAsync() > acquired + (2 * ttl));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await survivor.GetAsync("api/version")).StatusCode);

        await doomed.KillAsync();
        var killedAt = await _redis.TimeAsync();
        var expiry = DateTimeOffset.FromUnixTimeMilliseconds((long)(await _redis.Database.SortedSetRangeByRankWithScoresAsync(leases)).Single().Score);
        Assert.True(expiry <= killedAt + ttl, $"the dead instance's lease runs until {expiry:O}, more than one lease lifetime after {killedAt:O}");
        stream.Dispose();

        await WaitUntilAsync(async () =>
        {
            using var response = await survivor.GetAsync("api/version");
            return response.StatusCode == HttpStatusCode.OK;
        });
        Assert.True(await _redis.TimeAsync() >= expiry, "the slot was freed before the lease expired");
    }

    private static async Task<(string Status, bool RedisAvailable)> ReadinessAsync(HttpClient client, Uri address)
    {
        using var response = await client.GetAsync(new Uri(address, "readyz"));
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (root.GetProperty("status").GetString()!, root.GetProperty("redis").GetProperty("available").GetBoolean());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
