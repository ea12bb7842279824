using System.Net;
using System.Text;
using OllamaGateway.Auth;
using OllamaGateway.SharedState;
using OllamaGateway.Tests.Common;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OllamaGateway.Tests.SharedState;

/// <summary>
/// What the gateway leaves in Redis, read back whole after traffic that touches every shared entry: limits, leases,
/// budgets, failed authentications and usage. Redis is a shared internal service; nothing in it may let a reader use a key.
/// </summary>
public sealed class RedisContentsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "sk-secret-0123456789abcdef";
    private const string WrongKey = "sk-guessed-0123456789abcdef";
    private RedisTestServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.StartAsync(output);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task NoKeyAndNoKeyHash_IsStoredInRedis_OnlyNamesAndAddresses_UnderThePrefix()
    {
        await using var cluster = await GatewayCluster.StartAsync(_redis, 1, $$$"""{"keys": [{"name": "alice", "key": "{{{Key}}}", "limits": {"requestsPerMinute": 2, "concurrentRequests": 4, "tokensPerMinute": 100000, "tokensPerDay": 1000000}}]}""", extraArgs: "--Gateway:FailedAuthPerMinute=1");
        using var client = cluster.Client(0, Key);
        using var guesser = cluster.Client(0, WrongKey);
        using var chat = await client.PostAsync("api/chat", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("api/version")).StatusCode);

        // Slow rates keep the rate and throttle entries for 30 and 60 s (each lives until its bucket is full again). A
        // first script call slower than the Redis timeout is served from the instance's memory instead, so the
        // requests are repeated until Redis holds every entry.
        var names = new RedisKeyNames(cluster.Prefix);
        await WaitUntilAsync(async () =>
        {
            if (!await _redis.Database.KeyExistsAsync(names.Rate("alice")))
            {
                (await client.GetAsync("api/version")).Dispose();
            }

            if (!await _redis.Database.KeyExistsAsync(names.AuthFailures(IPAddress.Loopback)))
            {
                (await guesser.GetAsync("api/version")).Dispose();
            }

            return await _redis.Database.KeyExistsAsync(names.UsageKeyNames) && await _redis.Database.HashExistsAsync(names.Tokens("alice"), "dt")
                && await _redis.Database.KeyExistsAsync(names.Rate("alice")) && await _redis.Database.KeyExistsAsync(names.AuthFailures(IPAddress.Loopback));
        });

        var server = _redis.Database.Multiplexer.GetServers()[0];
        var dump = new StringBuilder();
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
            dump.Append(key).Append('\n');
            switch (await _redis.Database.KeyTypeAsync(key))
            {
                case RedisType.String:
                    dump.Append(await _redis.Database.StringGetAsync(key)).Append('\n');
                    break;
                case RedisType.Hash:
                    foreach (var entry in await _redis.Database.HashGetAllAsync(key))
                    {
                        dump.Append(entry.Name).Append('=').Append(entry.Value).Append('\n');
                    }

                    break;
                case RedisType.SortedSet:
                    foreach (var entry in await _redis.Database.SortedSetRangeByRankWithScoresAsync(key))
                    {
                        dump.Append(entry.Element).Append('\n');
                    }

                    break;
                case RedisType.Set:
                    foreach (var member in await _redis.Database.SetMembersAsync(key))
                    {
                        dump.Append(member).Append('\n');
                    }

                    break;
            }
        }

        output.WriteLine(dump.ToString());
        Assert.Contains(keys, key => key.Contains("key:alice}", StringComparison.Ordinal));
        Assert.Contains(keys, key => key.Contains("auth:127.0.0.1}", StringComparison.Ordinal));
        Assert.All(keys, key => Assert.Contains(cluster.Prefix, key, StringComparison.Ordinal));
        var text = dump.ToString();
        foreach (var secret in new[] { Key, WrongKey, KeyHash.Compute(Key).ToString(), KeyHash.Compute(WrongKey).ToString(), "0123456789abcdef" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        var hex = KeyHash.Compute(Key).ToString()[KeyHash.Prefix.Length..];
        Assert.DoesNotContain(hex[..16], text, StringComparison.OrdinalIgnoreCase);
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
