using OllamaGateway.SharedState;

namespace OllamaGateway.Tests.SharedState;

/// <summary>The buffer that keeps usage while Redis is unavailable: summed per bucket, bounded, never losing silently.</summary>
public sealed class UsageBufferTests
{
    private static readonly DateTimeOffset s_hour = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CountsOfOneBucket_AreSummed_SoALongOutageNeedsOneEntryPerBucket()
    {
        var buffer = new UsageBuffer(capacity: 1);
        var bucket = new UsageBucket("alice", "llama3.2", s_hour);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(buffer.Add(bucket, new UsageTally(1, 10, 20, i % 2, 30)));
        }

        var entry = Assert.Single(buffer.Drain());
        Assert.Equal(bucket, entry.Key);
        Assert.Equal(new UsageTally(1000, 10_000, 20_000, 500, 30_000), entry.Value);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void PastItsCapacity_ANewBucketIsDroppedAndCounted()
    {
        var buffer = new UsageBuffer(capacity: 2);
        Assert.True(buffer.Add(new UsageBucket("alice", "a", s_hour), new UsageTally(1, 0, 0, 0, 0)));
        Assert.True(buffer.Add(new UsageBucket("alice", "b", s_hour), new UsageTally(1, 0, 0, 0, 0)));

        Assert.False(buffer.Add(new UsageBucket("alice", "c", s_hour), new UsageTally(3, 0, 0, 0, 0)));
        Assert.True(buffer.Add(new UsageBucket("alice", "a", s_hour), new UsageTally(1, 0, 0, 0, 0)));

        Assert.Equal(3, buffer.Dropped);
        Assert.Equal(2, buffer.Count);
    }
}
