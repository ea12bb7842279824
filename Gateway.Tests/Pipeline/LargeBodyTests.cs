using OllamaGateway.Pipeline;

namespace OllamaGateway.Tests.Pipeline;

public sealed class LargeBodyTests
{
    [Theory]
    [InlineData(1_024, false)]
    [InlineData(LargeBody.InPlaceLimitBytes, false)]
    [InlineData(LargeBody.InPlaceLimitBytes + 1, true)]
    [InlineData(16 * 1024 * 1024, true)]
    public void OnlyLargeBodies_LeaveTheThreadTheRequestArrivedOn(int length, bool movesToThreadPool)
    {
        // A dedicated thread stands in for a socket I/O thread: it is not a thread-pool thread.
        bool? onThreadPool = null;
        var arrival = new Thread(() => onThreadPool = ParseAsync(length).GetAwaiter().GetResult());
        arrival.Start();
        Assert.True(arrival.Join(TimeSpan.FromSeconds(10)));

        Assert.Equal(movesToThreadPool, onThreadPool);
    }

    private static async Task<bool> ParseAsync(int length)
    {
        await LargeBody.LeaveIoThread(length);
        return Thread.CurrentThread.IsThreadPoolThread;
    }
}
