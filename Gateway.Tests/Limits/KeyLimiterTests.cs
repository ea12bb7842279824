using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;
using OllamaGateway.Limits;

namespace OllamaGateway.Tests.Limits;

public sealed class KeyLimiterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 15, 20, TimeSpan.Zero));
    private readonly KeyLimiter _limiter;

    public KeyLimiterTests() => _limiter = new KeyLimiter(_time);

    public void Dispose() => _limiter.Dispose();

    private static ApiKey Key(int? perMinute = null, int? concurrent = null, string name = "alice") =>
        new(name, KeyHash.Compute($"sk-{name}-0123456789")) { Limits = new KeyLimits(perMinute, concurrent) };

    private int Granted(ApiKey key, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            using var lease = _limiter.Acquire(key);
            granted += lease.IsGranted ? 1 : 0;
        }

        return granted;
    }

    [Fact]
    public void RequestsPerMinute_GrantsTheWholeMinuteAsABurst_ThenRefusesWithTheWaitForTheNextPermit()
    {
        var key = Key(perMinute: 5);

        Assert.Equal(5, Granted(key, 5));
        var refused = _limiter.Acquire(key);

        Assert.False(refused.IsGranted);
        Assert.Equal("requests per minute", refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(12), refused.RetryAfter);
    }

    [Fact]
    public void RequestsPerMinute_RefillsOnePermitPerMinuteOverN()
    {
        var key = Key(perMinute: 5);
        Granted(key, 5);

        _time.Advance(TimeSpan.FromSeconds(11.9));
        Assert.False(_limiter.Acquire(key).IsGranted);
        Assert.Equal(TimeSpan.FromSeconds(0.1), _limiter.Acquire(key).RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, Granted(key, 3));
    }

    [Fact]
    public void RequestsPerMinute_AfterAQuietMinute_TheWholeBurstIsBack_AndNoMore()
    {
        var key = Key(perMinute: 5);
        Granted(key, 5);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(5, Granted(key, 8));
    }

    [Fact]
    public void ConcurrentRequests_HoldASlotUntilTheLeaseEnds()
    {
        var key = Key(concurrent: 1);
        var first = _limiter.Acquire(key);

        var second = _limiter.Acquire(key);
        Assert.True(first.IsGranted);
        Assert.False(second.IsGranted);
        Assert.Equal("concurrent requests", second.Limit);
        Assert.Equal(TimeSpan.FromSeconds(1), second.RetryAfter);

        first.Dispose();
        using var third = _limiter.Acquire(key);
        Assert.True(third.IsGranted);
    }

    [Fact]
    public void ARefusedRequest_SpendsNeitherARatePermitNorASlot()
    {
        var key = Key(perMinute: 2, concurrent: 1);
        var running = _limiter.Acquire(key);

        Assert.False(_limiter.Acquire(key).IsGranted); // refused by concurrency: no rate permit spent
        running.Dispose();
        var second = _limiter.Acquire(key);
        Assert.True(second.IsGranted); // the minute's second permit
        second.Dispose();

        var third = _limiter.Acquire(key); // refused by rate: the slot it took is given back
        Assert.Equal("requests per minute", third.Limit);
        _time.Advance(TimeSpan.FromSeconds(30));
        using var fourth = _limiter.Acquire(key);
        Assert.True(fourth.IsGranted);
    }

    [Fact]
    public void ReloadedLimits_ApplyAtTheNextRequest_LoosenedAndTightened()
    {
        Granted(Key(perMinute: 2), 2);
        Assert.False(_limiter.Acquire(Key(perMinute: 2)).IsGranted);

        Assert.Equal(10, Granted(Key(perMinute: 10), 12));

        using var held = _limiter.Acquire(Key(concurrent: 2));
        Assert.True(held.IsGranted);
        using var tightenedFirst = _limiter.Acquire(Key(concurrent: 1));
        Assert.True(tightenedFirst.IsGranted);
        Assert.False(_limiter.Acquire(Key(concurrent: 1)).IsGranted);
    }

    [Fact]
    public void KeysAreLimitedApart_AndKeysWithoutLimitsNever()
    {
        Granted(Key(perMinute: 1, name: "alice"), 1);

        Assert.False(_limiter.Acquire(Key(perMinute: 1, name: "alice")).IsGranted);
        Assert.True(_limiter.Acquire(Key(perMinute: 1, name: "bob")).IsGranted);
        Assert.Equal(1000, Granted(Key(name: "carol"), 1000));
    }
}
