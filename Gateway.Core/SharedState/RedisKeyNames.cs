using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace OllamaGateway.SharedState;

/// <summary>
/// The names of the gateway's Redis keys. Everything of one API key lives under one hash tag, <c>{ogw:key:NAME}</c>,
/// so a Redis Cluster keeps it in one slot and one script can touch all of it. Keys are named by the key's name only:
/// never the key itself or its hash.
/// </summary>
internal sealed class RedisKeyNames(string prefix)
{
    /// <summary>The GCRA state of requests per minute: one timestamp (µs), the theoretical arrival time.</summary>
    public RedisKey Rate(string keyName) => Tag(keyName) + ":rate";

    /// <summary>Concurrency leases: a sorted set of lease ids scored by when they expire (ms).</summary>
    public RedisKey Leases(string keyName) => Tag(keyName) + ":leases";

    /// <summary>Token budget windows: a hash of the current minute and day and the tokens spent in each.</summary>
    public RedisKey Tokens(string keyName) => Tag(keyName) + ":tokens";

    /// <summary>Usage counters of one UTC hour: a hash of requests, tokens and errors per model.</summary>
    public RedisKey UsageHour(string keyName, DateTimeOffset hour) =>
        Tag(keyName) + ":usage:" + hour.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The hours that have usage counters: a sorted set of hour starts (Unix seconds).</summary>
    public RedisKey UsageHours(string keyName) => Tag(keyName) + ":usage:hours";

    /// <summary>The names of the keys that have usage counters (a set), so a report over every key can find them.</summary>
    public RedisKey UsageKeyNames => prefix + "usage:keys";

    /// <summary>The GCRA state of failed authentications from one client address.</summary>
    public RedisKey AuthFailures(IPAddress? address) => "{" + prefix + "auth:" + (address?.ToString() ?? "none") + "}";

    private string Tag(string keyName) => "{" + prefix + "key:" + keyName + "}";
}
