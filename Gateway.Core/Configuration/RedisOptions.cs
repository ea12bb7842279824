namespace OllamaGateway.Configuration;

/// <summary>
/// Shared state on Redis: <c>Gateway:Redis</c>. With <see cref="Configuration"/> set, every instance counts the keys'
/// limits, the failed authentications and the usage counters in one Redis; unset, each instance counts in its own memory.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>localhost:6379</c>,
    /// <c>name.redis.cache.windows.net:6380,ssl=true,password=...</c>, <c>user=...</c> for an ACL user); empty for none.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every Redis key the gateway writes, so several gateways can share one Redis. Default <c>ogw:</c>.</summary>
    public string KeyPrefix { get; set; } = "ogw:";

    /// <summary>
    /// How long a request waits for Redis before it is served with this instance's own limits (and Redis is marked
    /// unavailable until it answers again). Default 250 ms.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a concurrency slot stays taken without being renewed: an instance renews its slots while their
    /// requests run, so this only bounds how long an instance that died mid-request keeps a slot. Default 30 s.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many usage counts (one per key, model and hour) are kept while Redis is unavailable, to be written when it
    /// returns; past it, finished requests are dropped from the shared counters and counted.
    /// </summary>
    public int UsageBufferCapacity { get; set; } = 10_000;
}
