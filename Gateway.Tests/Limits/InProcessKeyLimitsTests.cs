using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Limits;
using OllamaGateway.Usage;

namespace OllamaGateway.Tests.Limits;

/// <summary>
/// The in-memory limits as the pipeline asks them (<see cref="InProcessKeyLimits.AcquireAsync"/>) and as a shared store
/// falls back to them while Redis is away (<see cref="InProcessKeyLimits.Acquire"/>): both forms must decide alike.
/// </summary>
public sealed class InProcessKeyLimitsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 15, 20, TimeSpan.Zero));
    private readonly KeyLimiter _limiter;
    private readonly InProcessTokenBudget _budget;
    private readonly InProcessKeyLimits _limits;

    public InProcessKeyLimitsTests()
    {
        _limiter = new KeyLimiter(_time);
        _budget = new InProcessTokenBudget(_time);
        var throttle = new AuthFailureThrottle(Options.Create(new GatewayOptions()), _time);
        _limits = new InProcessKeyLimits(_limiter, _budget, throttle);
    }

    public void Dispose() => _limiter.Dispose();

    public static TheoryData<bool> BothForms => [false, true];

    private static ApiKey Key(int? concurrent = null, int? perMinute = null, long? tokensPerMinute = null, long? tokensPerDay = null) =>
        new("alice", KeyHash.Compute("sk-alice-0123456789")) { Limits = new KeyLimits(perMinute, concurrent, tokensPerMinute, tokensPerDay) };

    private async Task<LimitLease> Acquire(bool synchronous, ApiKey key, bool inference) =>
        synchronous ? _limits.Acquire(key, inference) : await _limits.AcquireAsync(key, inference, new RequestRecord(_time), CancellationToken.None);

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task SpentMinuteBudget_RefusesInference_SayingSoAndWhenItFrees(bool synchronous)
    {
        var key = Key(tokensPerMinute: 100);
        _budget.Spend(key, 100);

        using var lease = await Acquire(synchronous, key, inference: true);

        Assert.False(lease.IsGranted);
        Assert.True(lease.IsBudgetSpent);
        Assert.Equal("tokens per minute", lease.Limit);
        Assert.Equal(TimeSpan.FromSeconds(40), lease.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task ADayBudgetAlone_IsEnforced(bool synchronous)
    {
        var key = Key(tokensPerDay: 1000);
        _budget.Spend(key, 1000);

        using var lease = await Acquire(synchronous, key, inference: true);

        Assert.True(lease.IsBudgetSpent);
        Assert.Equal("tokens per day", lease.Limit);
    }

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task ASpentBudget_DoesNotRefuseWhatSpendsNoTokens(bool synchronous)
    {
        var key = Key(tokensPerMinute: 100);
        _budget.Spend(key, 100);

        using var listing = await Acquire(synchronous, key, inference: false); // e.g. /api/tags

        Assert.True(listing.IsGranted);
        Assert.False(listing.IsBudgetSpent);
    }

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task AnUnspentBudget_Grants_AndTheLeaseHoldsTheConcurrencySlot(bool synchronous)
    {
        var key = Key(concurrent: 1, tokensPerMinute: 100);
        _budget.Spend(key, 99);

        var lease = await Acquire(synchronous, key, inference: true);
        Assert.True(lease.IsGranted);
        Assert.Equal("concurrent requests", (await Acquire(synchronous, key, inference: true)).Limit);

        lease.Dispose();
        using var next = await Acquire(synchronous, key, inference: true);
        Assert.True(next.IsGranted);
    }

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task ABudgetRefusal_GivesBackTheConcurrencySlotItTook(bool synchronous)
    {
        var key = Key(concurrent: 1, tokensPerMinute: 100);
        _budget.Spend(key, 100);
        Assert.True((await Acquire(synchronous, key, inference: true)).IsBudgetSpent);

        using var listing = await Acquire(synchronous, key, inference: false);

        Assert.True(listing.IsGranted); // the refused request's slot was released: the one slot is free
    }

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task ARateRefusal_ComesFirst_AndIsNoBudgetRefusal(bool synchronous)
    {
        var key = Key(perMinute: 1, tokensPerMinute: 100);
        _budget.Spend(key, 100);
        using (await Acquire(synchronous, key, inference: false))
        {
        }

        using var refused = await Acquire(synchronous, key, inference: true);

        Assert.Equal("requests per minute", refused.Limit);
        Assert.False(refused.IsBudgetSpent);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.RetryAfter);
    }
}
