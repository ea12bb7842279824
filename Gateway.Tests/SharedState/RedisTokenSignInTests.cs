using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Configuration;
using OllamaGateway.SharedState;
using OllamaGateway.Tests.Common;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OllamaGateway.Tests.SharedState;

/// <summary>
/// Signing in to Redis with tokens (Entra ID on Azure), against a real server's ACL users: the gateway authenticates
/// as the token's user, takes a new token before the current one expires, and reconnects with the newest one.
/// </summary>
public sealed class RedisTokenSignInTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisTestServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisTestServer.StartAsync(output);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task TokenUser_SignsIn_AndAReconnectionUsesTheRefreshedToken()
    {
        await _redis.Database.ExecuteAsync("ACL", "SETUSER", "identity-1", "on", ">token-A", "~*", "+@all");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tokens = new RotatingTokens(time, "identity-1", "token-A");
        var options = Options.Create(new GatewayOptions { Redis = { Configuration = _redis.Configuration } });
        using var log = new RecordingLoggerProvider();
        using var connection = new RedisConnection(options, time, new Microsoft.Extensions.Logging.Logger<RedisConnection>(new Microsoft.Extensions.Logging.LoggerFactory([log])), tokens);

        await connection.StartAsync(CancellationToken.None);
        Assert.True(connection.IsAvailable);
        Assert.Contains("user=identity-1", await GatewayClientsAsync());

        // Three quarters into the token's hour a new one is taken; the server accepts both for now.
        await _redis.Database.ExecuteAsync("ACL", "SETUSER", "identity-1", ">token-B");
        tokens.Next = "token-B";
        // Minute by minute: the connection's timer ticks on the fake clock once it has started.
        await WaitUntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMinutes(1));
            return Task.FromResult(tokens.Issued == 2);
        });
        Assert.True(time.GetUtcNow() >= tokens.FirstIssuedAt + TimeSpan.FromMinutes(45), "the token was replaced before three quarters of its life");

        // ...and the live connection is signed in with it at once (AUTH), not only the next one.
        await WaitUntilAsync(() => Task.FromResult(log.Entries.Any(entry => entry.EventId.Id is 5024 or 5025)));
        Assert.Contains(log.Entries, entry => entry.EventId.Id == 5025);

        // The old token stops being accepted and the server closes the connections (as Azure does at expiry): the
        // gateway reconnects with the new one.
        await _redis.Database.ExecuteAsync("ACL", "SETUSER", "identity-1", "<token-A");
        await _redis.Database.ExecuteAsync("CLIENT", "KILL", "USER", "identity-1");
        await WaitUntilAsync(async () => !connection.IsAvailable || !(await GatewayClientsAsync()).Contains("user=identity-1", StringComparison.Ordinal));
        await WaitUntilAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return connection.IsAvailable && (await GatewayClientsAsync()).Contains("user=identity-1", StringComparison.Ordinal);
        });

        Assert.Equal(2, tokens.Issued);
        await connection.StopAsync(CancellationToken.None);
    }

    private async Task<string> GatewayClientsAsync() =>
        string.Join('\n', ((string?)await _redis.Database.ExecuteAsync("CLIENT", "LIST") ?? string.Empty)
            .Split('\n').Where(line => line.Contains("name=ollama-gateway", StringComparison.Ordinal)));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    private sealed class RotatingTokens(TimeProvider time, string user, string first) : IRedisTokenSource
    {
        private int _issued;

        public string Next { get; set; } = first;

        public int Issued => Volatile.Read(ref _issued);

        public DateTimeOffset FirstIssuedAt { get; private set; }

        public ValueTask<RedisToken> GetTokenAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _issued) == 1)
            {
                FirstIssuedAt = time.GetUtcNow();
            }

            return ValueTask.FromResult(new RedisToken(user, Next, time.GetUtcNow().AddHours(1)));
        }
    }
}
