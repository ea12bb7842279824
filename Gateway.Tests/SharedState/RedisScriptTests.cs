using System.Globalization;
using System.Net;
using OllamaGateway.SharedState;
using OllamaGateway.Tests.Common;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OllamaGateway.Tests.SharedState;

/// <summary>
/// The limiter scripts against a real server: GCRA's burst and spacing, window boundaries of the token budget, lease
/// expiry and renewal. Every time is Redis's own (<c>TIME</c>): the tests move a key's state in time instead of
/// waiting, and never read an instance's clock.
/// </summary>
public sealed class RedisScriptTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long LeaseTtlMs = 60_000;
    private readonly RedisKeyNames _names = new("scripts:");
    private RedisTestServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.StartAsync(output);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task RequestsPerMinute_AllowsABurstOfTheWholeMinute_ThenRefusesWithTheWaitForOneInterval()
    {
        var verdicts = new List<(int Code, long RetryMs)>();
        for (var i = 0; i < 7; i++)
        {
            verdicts.Add(await AcquireAsync("burst", perMinute: 5));
        }

        Assert.Equal([0, 0, 0, 0, 0, 1, 1], verdicts.Select(v => v.Code));

        // The sixth request may come one emission interval (60 s / 5) after the burst began.
        Assert.InRange(verdicts[5].RetryMs, 1, 12_000);
    }

    [Fact]
    public async Task RequestsPerMinute_FreesOneRequestPerInterval()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(0, (await AcquireAsync("spacing", perMinute: 5)).Code);
        }

        Assert.Equal(1, (await AcquireAsync("spacing", perMinute: 5)).Code);

        // Move the key's theoretical arrival time one interval (12 s) back, as if 12 s had passed on Redis's clock.
        await ShiftRateAsync("spacing", TimeSpan.FromSeconds(-12));
        Assert.Equal(0, (await AcquireAsync("spacing", perMinute: 5)).Code);
        Assert.Equal(1, (await AcquireAsync("spacing", perMinute: 5)).Code);
    }

    [Fact]
    public async Task RefusedRequests_SpendNothing()
    {
        // Concurrency refuses: the rate is not charged, so a freed slot finds the whole rate still there.
        Assert.Equal(0, (await AcquireAsync("all-or-nothing", perMinute: 2, concurrent: 1, leaseId: "a")).Code);
        Assert.Equal(4, (await AcquireAsync("all-or-nothing", perMinute: 2, concurrent: 1, leaseId: "b")).Code);
        Assert.Equal(4, (await AcquireAsync("all-or-nothing", perMinute: 2, concurrent: 1, leaseId: "c")).Code);
        await FinishAsync("all-or-nothing", leaseId: "a");
        Assert.Equal(0, (await AcquireAsync("all-or-nothing", perMinute: 2, concurrent: 1, leaseId: "d")).Code);
    }

    [Fact]
    public async Task Lease_ExpiresWhenNotRenewed_AndARenewalKeepsIt()
    {
        Assert.Equal(0, (await AcquireAsync("lease", concurrent: 1, leaseId: "held", leaseTtlMs: 1_000)).Code);
        Assert.Equal(4, (await AcquireAsync("lease", concurrent: 1, leaseId: "other", leaseTtlMs: 1_000)).Code);
        var acquired = await _redis.TimeAsync();

        // Renewed for a minute: still held once the first second is over on Redis's clock.
        Assert.Equal(1, (long)(await _redis.Database.ScriptEvaluateAsync(RedisScripts.Renew, [_names.Leases("lease")], ["held", LeaseTtlMs]))!);
        await WaitForRedisTimeAsync(acquired + TimeSpan.FromMilliseconds(1_100));
        Assert.Equal(4, (await AcquireAsync("lease", concurrent: 1, leaseId: "other", leaseTtlMs: 1_000)).Code);

        // Not renewed: gone when its time is up; a renewal after that does not bring it back.
        await _redis.Database.SortedSetAddAsync(_names.Leases("lease"), "held", (await _redis.TimeAsync()).ToUnixTimeMilliseconds() + 500);
        await WaitForRedisTimeAsync(await _redis.TimeAsync() + TimeSpan.FromMilliseconds(600));
        Assert.Equal(0, (await AcquireAsync("lease", concurrent: 1, leaseId: "other", leaseTtlMs: 1_000)).Code);
        Assert.Equal(0, (long)(await _redis.Database.ScriptEvaluateAsync(RedisScripts.Renew, [_names.Leases("lease")], ["held", LeaseTtlMs]))!);
        Assert.Equal(["other"], (await _redis.Database.SortedSetRangeByRankAsync(_names.Leases("lease"))).Select(member => member.ToString()));
    }

    [Fact]
    public async Task TokenBudget_CountsTheCurrentMinuteAndDayOfRedisClock_AndFreesAtTheBoundary()
    {
        Assert.Equal(0, (await AcquireAsync("budget", tokensPerMinute: 100, tokensPerDay: 1_000)).Code);
        await FinishAsync("budget", tokens: 100);

        var spent = await AcquireAsync("budget", tokensPerMinute: 100, tokensPerDay: 1_000);
        var now = await _redis.TimeAsync();
        Assert.Equal(2, spent.Code);

        // The wait is what is left of Redis's current minute.
        var minuteLeft = 60_000 - (now.ToUnixTimeMilliseconds() % 60_000);
        Assert.InRange(spent.RetryMs, 1, 60_000);
        Assert.InRange(spent.RetryMs, minuteLeft - 1_000, minuteLeft + 1_000);

        // The spent minute is the previous one: a new window, only the day counts it.
        await _redis.Database.HashSetAsync(_names.Tokens("budget"), "m", (now.ToUnixTimeMilliseconds() / 60_000) - 1);
        Assert.Equal(0, (await AcquireAsync("budget", tokensPerMinute: 100, tokensPerDay: 1_000)).Code);
        await FinishAsync("budget", tokens: 900);
        var day = await AcquireAsync("budget", tokensPerMinute: 10_000, tokensPerDay: 1_000);
        Assert.Equal(3, day.Code);
        Assert.InRange(day.RetryMs, 1, 86_400_000);

        // Yesterday's spending does not count today.
        await _redis.Database.HashSetAsync(_names.Tokens("budget"), "d", (now.ToUnixTimeMilliseconds() / 86_400_000) - 1);
        Assert.Equal(0, (await AcquireAsync("budget", tokensPerMinute: 10_000, tokensPerDay: 1_000)).Code);
    }

    [Fact]
    public async Task ReplayedUsage_ChargesTheDayOnlyWhenItIsStillThatDay()
    {
        var today = (await _redis.TimeAsync()).ToUnixTimeMilliseconds() / 86_400_000;
        await FinishAsync("replay", tokens: 50, budgetMode: "2", day: today - 1);
        Assert.False(await _redis.Database.HashExistsAsync(_names.Tokens("replay"), "dt"));

        await FinishAsync("replay", tokens: 50, budgetMode: "2", day: today);
        Assert.Equal(50, (long)await _redis.Database.HashGetAsync(_names.Tokens("replay"), "dt"));
        Assert.False(await _redis.Database.HashExistsAsync(_names.Tokens("replay"), "mt"));
    }

    [Fact]
    public async Task AuthFailures_AllowABurst_ThenReturnTheWait()
    {
        var address = IPAddress.Parse("2001:db8::7");
        var waits = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            waits.Add((long)(await _redis.Database.ScriptEvaluateAsync(RedisScripts.AuthFailure, [_names.AuthFailures(address)], [3]))!);
        }

        Assert.Equal([0, 0, 0], waits.Take(3));
        Assert.InRange(waits[3], 1, 20_000);
    }

    private async Task<(int Code, long RetryMs)> AcquireAsync(string key, int perMinute = 0, int concurrent = 0, long tokensPerMinute = 0, long tokensPerDay = 0, string leaseId = "", long leaseTtlMs = LeaseTtlMs)
    {
        var result = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(RedisScripts.Acquire,
            [_names.Rate(key), _names.Leases(key), _names.Tokens(key)],
            [perMinute, concurrent, tokensPerMinute, tokensPerDay, leaseId, leaseTtlMs]))!;
        return ((int)result[0], (long)result[1]);
    }

    private Task FinishAsync(string key, string leaseId = "", long tokens = 0, string budgetMode = "1", long day = 0)
    {
        var hour = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000 / 3600 * 3600);
        return _redis.Database.ScriptEvaluateAsync(RedisScripts.Finish,
            [_names.Leases(key), _names.Tokens(key), _names.UsageHour(key, hour), _names.UsageHours(key)],
            [leaseId, tokens, tokens > 0 ? budgetMode : "0", day, "m", 1, tokens, 0, 0, hour.ToUnixTimeSeconds(), 3600, "1"]);
    }

    private async Task ShiftRateAsync(string key, TimeSpan by)
    {
        var stored = long.Parse((string)(await _redis.Database.StringGetAsync(_names.Rate(key)))!, CultureInfo.InvariantCulture);
        await _redis.Database.StringSetAsync(_names.Rate(key), (stored + (long)by.TotalMicroseconds).ToString(CultureInfo.InvariantCulture), TimeSpan.FromMinutes(2));
    }

    // Readiness check on Redis's own clock: the scripts read no other.
    private async Task WaitForRedisTimeAsync(DateTimeOffset moment)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _redis.TimeAsync() < moment)
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
