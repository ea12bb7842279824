namespace OllamaGateway.SharedState;

/// <summary>
/// Usage counts kept while Redis is unavailable, summed per key, model and hour so that an outage of any length needs
/// few entries; written when Redis returns. Bounded: past its capacity a count for a new bucket is dropped and counted
/// (<see cref="Dropped"/>), never silently.
/// </summary>
internal sealed class UsageBuffer(int capacity)
{
    private readonly Dictionary<UsageBucket, UsageTally> _tallies = [];
    private readonly Lock _lock = new();
    private long _dropped;

    /// <summary>Buckets waiting to be written.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tallies.Count;
            }
        }
    }

    /// <summary>Finished requests dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds <paramref name="tally"/> to its bucket; false (and counted) when a new bucket would not fit.</summary>
    public bool Add(UsageBucket bucket, UsageTally tally)
    {
        lock (_lock)
        {
            if (_tallies.TryGetValue(bucket, out var existing))
            {
                _tallies[bucket] = existing.Add(tally);
                return true;
            }

            if (_tallies.Count < capacity)
            {
                _tallies[bucket] = tally;
                return true;
            }
        }

        Interlocked.Add(ref _dropped, tally.Requests);
        return false;
    }

    /// <summary>Takes every buffered count out of the buffer.</summary>
    public KeyValuePair<UsageBucket, UsageTally>[] Drain()
    {
        lock (_lock)
        {
            KeyValuePair<UsageBucket, UsageTally>[] all = [.. _tallies];
            _tallies.Clear();
            return all;
        }
    }
}
