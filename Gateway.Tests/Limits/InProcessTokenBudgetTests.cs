using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;
using OllamaGateway.Limits;

namespace OllamaGateway.Tests.Limits;

public sealed class InProcessTokenBudgetTests
{
    // 10:15:20 UTC: 40 s to the next minute, 13 h 44 min 40 s to midnight.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 15, 20, TimeSpan.Zero));

    private static ApiKey Key(long? perMinute = null, long? perDay = null) =>
        new("alice", KeyHash.Compute("sk-alice-0123456789")) { Limits = new KeyLimits(null, null, perMinute, perDay) };

    [Fact]
    public async Task UnspentBudget_Allows()
    {
        var budget = new InProcessTokenBudget(_time);
        budget.Spend(Key(perMinute: 100), 99);

        Assert.Null(await budget.CheckAsync(Key(perMinute: 100), CancellationToken.None));
    }

    [Fact]
    public async Task SpentMinute_RefusesUntilTheNextMinute_ThenFrees()
    {
        var budget = new InProcessTokenBudget(_time);
        var key = Key(perMinute: 100);
        budget.Spend(key, 60);
        budget.Spend(key, 40);

        var verdict = await budget.CheckAsync(key, CancellationToken.None);

        Assert.Equal("tokens per minute", verdict?.Window);
        Assert.Equal(TimeSpan.FromSeconds(40), verdict?.RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.NotNull(await budget.CheckAsync(key, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await budget.CheckAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task SpentDay_RefusesUntilUtcMidnight_AcrossMinutes()
    {
        var budget = new InProcessTokenBudget(_time);
        var key = Key(perMinute: 1000, perDay: 500);
        for (var i = 0; i < 5; i++)
        {
            budget.Spend(key, 100);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var verdict = await budget.CheckAsync(key, CancellationToken.None);

        Assert.Equal("tokens per day", verdict?.Window);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero) - _time.GetUtcNow(), verdict?.RetryAfter);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        Assert.Null(await budget.CheckAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task KeysWithoutBudget_AreNeverRefused_AndNothingIsKept()
    {
        var budget = new InProcessTokenBudget(_time);
        var key = Key();
        budget.Spend(key, long.MaxValue / 2);

        Assert.Null(await budget.CheckAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task NothingOrANegativeCount_NeverBuysTokensBack()
    {
        var budget = new InProcessTokenBudget(_time);
        var key = Key(perMinute: 100);
        budget.Spend(key, -50);
        budget.Spend(key, 0);
        budget.Spend(key, 100);

        Assert.Equal("tokens per minute", (await budget.CheckAsync(key, CancellationToken.None))?.Window);
    }

    [Fact]
    public void OnlyKeysWithABudgetThatSpentTokens_AreKept()
    {
        var budget = new InProcessTokenBudget(_time);
        budget.Spend(Key(), 10);
        budget.Spend(Key(perMinute: 100), 0);
        Assert.Equal(0, budget.TrackedKeys);

        budget.Spend(Key(perMinute: 100), 1);
        Assert.Equal(1, budget.TrackedKeys);
    }

    [Fact]
    public async Task KeysAreCountedApart()
    {
        var budget = new InProcessTokenBudget(_time);
        var alice = Key(perMinute: 10);
        var bob = new ApiKey("bob", KeyHash.Compute("sk-bob-0123456789")) { Limits = new KeyLimits(null, null, 10) };
        budget.Spend(alice, 10);

        Assert.NotNull(await budget.CheckAsync(alice, CancellationToken.None));
        Assert.Null(await budget.CheckAsync(bob, CancellationToken.None));
    }
}
