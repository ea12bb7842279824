using System.Runtime.CompilerServices;

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

    /// <summary>
    /// Awaiting this completes at once for a small body; for a larger one the code after the await runs on the
    /// thread pool. (An awaited task that yields would not do: if it finished before the caller looked, the caller
    /// would carry on where it was.)
    /// </summary>
    public static Handoff LeaveIoThread(int length) => new(length > InPlaceLimitBytes);

    /// <summary>The awaitable of <see cref="LeaveIoThread"/>: <see cref="Task.Yield"/>, or nothing.</summary>
    public readonly struct Handoff(bool toThreadPool) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => !toThreadPool;

        public Handoff GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => Task.Yield().GetAwaiter().OnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation) => Task.Yield().GetAwaiter().UnsafeOnCompleted(continuation);
    }
}
