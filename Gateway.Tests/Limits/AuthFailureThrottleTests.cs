using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Configuration;
using OllamaGateway.Limits;

namespace OllamaGateway.Tests.Limits;

public sealed class AuthFailureThrottleTests
{
    private static readonly IPAddress s_guesser = IPAddress.Parse("203.0.113.7");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 15, 20, TimeSpan.Zero));

    private AuthFailureThrottle Throttle(int perMinute) =>
        new(Options.Create(new GatewayOptions { FailedAuthPerMinute = perMinute }), _time);

    [Fact]
    public void FailuresWithinTheAllowance_AreNotThrottled_ThenTheWaitIsAnnounced()
    {
        var throttle = Throttle(3);

        Assert.Null(throttle.RecordFailure(s_guesser));
        Assert.Null(throttle.RecordFailure(s_guesser));
        Assert.Null(throttle.RecordFailure(s_guesser));
        Assert.Equal(TimeSpan.FromSeconds(20), throttle.RecordFailure(s_guesser));
    }

    [Fact]
    public void TheAllowanceRefills_OneFailurePerMinuteOverN()
    {
        var throttle = Throttle(3);
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure(s_guesser);
        }

        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RecordFailure(s_guesser));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(throttle.RecordFailure(s_guesser));
        Assert.NotNull(throttle.RecordFailure(s_guesser));
    }

    [Fact]
    public void EachAddressHasItsOwnAllowance()
    {
        var throttle = Throttle(1);
        throttle.RecordFailure(s_guesser);

        Assert.NotNull(throttle.RecordFailure(s_guesser));
        Assert.Null(throttle.RecordFailure(IPAddress.Parse("203.0.113.8")));
        Assert.Null(throttle.RecordFailure(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void RefilledAddressesAreForgotten_DrainingOnesKept()
    {
        var throttle = Throttle(2);
        for (var i = 0; i < 3000; i++)
        {
            throttle.RecordFailure(Address(i));
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure(s_guesser);
        throttle.RecordFailure(s_guesser);
        for (var i = 3000; i < 6000; i++)
        {
            throttle.RecordFailure(Address(i));
        }

        Assert.Equal(3001, throttle.TrackedAddresses);
        Assert.NotNull(throttle.RecordFailure(s_guesser)); // swept around, never reset
    }

    [Fact]
    public void TheSweep_StartsAtTheThousandAndTwentyFourthAddress_AndForgetsBucketsRefilledThatVeryMoment()
    {
        var throttle = Throttle(1);
        for (var i = 0; i < 1023; i++)
        {
            throttle.RecordFailure(Address(i));
        }

        _time.Advance(TimeSpan.FromMinutes(1)); // every bucket is exactly full again
        throttle.RecordFailure(Address(1023));
        Assert.Equal(1024, throttle.TrackedAddresses); // 1,023 tracked when it came: no sweep yet

        throttle.RecordFailure(s_guesser);
        Assert.Equal(2, throttle.TrackedAddresses); // 1,024 tracked: swept, Address(1023) still draining
    }

    [Fact]
    public void AfterASweep_TheNextWaitsUntilTheAddressesDoubleAgain()
    {
        var throttle = Throttle(1);
        for (var i = 0; i < 1100; i++)
        {
            throttle.RecordFailure(Address(i)); // swept at 1,024 with nothing to forget: the next sweep at 2,048
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure(s_guesser);

        Assert.Equal(1101, throttle.TrackedAddresses);
    }

    private static IPAddress Address(int i) => new([10, 1, (byte)(i >> 8), (byte)i]);
}
