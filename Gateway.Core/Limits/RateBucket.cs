namespace OllamaGateway.Limits;

/// <summary>
/// A rate of N per minute as GCRA: one timestamp, the theoretical arrival time (TAT). Each permit moves it on by the
/// emission interval (a minute / N) and is granted while the new TAT stays within a minute of now: a burst of N, then
/// one permit every minute / N. The same arithmetic as the Redis script (<c>RedisScripts.Acquire</c>), on this
/// instance's <see cref="TimeProvider"/> so a fake clock drives it; lock-free.
/// </summary>
internal sealed class RateBucket
{
    private readonly TimeProvider _time;
    private readonly long _window;
    private readonly long _interval;
    private long _tat;

    public RateBucket(int perMinute, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute);
        _time = time;
        _window = time.TimestampFrequency * 60;
        _interval = _window / perMinute;
    }

    /// <summary>Takes one permit, or says how long until one is free (a refusal takes nothing).</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            var stored = Volatile.Read(ref _tat);
            var tat = Math.Max(stored, now) + _interval;
            if (tat - now > _window)
            {
                retryAfter = TimeSpan.FromSeconds((double)(tat - now - _window) / _time.TimestampFrequency);
                return false;
            }

            if (Interlocked.CompareExchange(ref _tat, tat, stored) == stored)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }
    }

    /// <summary>Whether every permit is free again: such a bucket holds nothing worth keeping.</summary>
    public bool IsFull => Volatile.Read(ref _tat) <= _time.GetTimestamp();
}
