namespace OllamaGateway.Pipeline;

/// <summary>
/// Moves the parsing of a large body off the thread the request arrived on. In the low-latency mode (inline socket
/// completions) that thread is a socket I/O thread, and checking or translating a body of several megabytes there
/// would hold up every other connection it serves. Small bodies, nearly all requests, stay where they are; a large
/// one pays a single hand-off to the thread pool, which is nothing next to the parse itself.
/// </summary>
internal static class LargeBody
{
    /// <summary>Bodies up to this size are parsed in place (64 KB of JSON parses in well under a millisecond).</summary>
    public const int InPlaceLimitBytes = 64 * 1024;

    /// <summary>Completes at once for a small body; for a larger one, continues on the thread pool.</summary>
    public static ValueTask LeaveIoThreadAsync(int length) =>
        length > InPlaceLimitBytes ? ToThreadPoolAsync() : ValueTask.CompletedTask;

    private static async ValueTask ToThreadPoolAsync() => await Task.Yield();
}
