using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Limits;

namespace OllamaGateway.Tests.Limits;

public sealed class RateBucketTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ARateOfNothingOrLess_IsRefusedAtOnce(int perMinute)
    {
        // A negative rate would otherwise grant everything, and zero divide by zero at the first request.
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateBucket(perMinute, new FakeTimeProvider()));
    }
}
