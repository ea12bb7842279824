using System.Globalization;
using System.Text.Json.Nodes;
using OllamaGateway.Auth;

namespace OllamaGateway.Server.Keys;

/// <summary>
/// A key entry about to be added to keys.json: only the hash and the display prefix of the key, never the key.
/// Fields that hold their default (every model, no admin, no metrics, no expiry, no limits) are left out of the
/// file, and <c>limits</c> holds only the limits that are set, so the entry reads the way a person would write it.
/// </summary>
internal sealed record NewKeyEntry(string Name, KeyHash Hash)
{
    /// <summary>The key's first characters (at most <see cref="ApiKeyGenerator.DisplayPrefixLength"/>), shown by <c>keys list</c>.</summary>
    public string? Prefix { get; init; }

    /// <summary>Model patterns; null (or empty) means every model.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    public bool Admin { get; init; }

    /// <summary>Whether the key may read <c>GET /metrics</c> (<see cref="ApiKey.Metrics"/>).</summary>
    public bool Metrics { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public KeyLimits Limits { get; init; } = KeyLimits.None;

    /// <summary>Builds the entry for a freshly generated key, storing its hash and display prefix.</summary>
    public static NewKeyEntry ForKey(string name, string key) => new(name, KeyHash.Compute(key))
    {
        Prefix = key[..Math.Min(key.Length, ApiKeyGenerator.DisplayPrefixLength)],
    };

    /// <summary>The time as the file stores it: UTC, whole seconds, with the zone the parser requires.</summary>
    public static string FormatExpiry(DateTimeOffset expires) =>
        expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject ToJson()
    {
        var entry = new JsonObject { ["name"] = Name, ["hash"] = Hash.ToString() };
        if (Prefix is not null)
        {
            entry["prefix"] = Prefix;
        }

        if (Models is { Count: > 0 })
        {
            entry["models"] = new JsonArray([.. Models.Select(pattern => (JsonNode)JsonValue.Create(pattern))]);
        }

        if (Admin)
        {
            entry["admin"] = true;
        }

        if (Metrics)
        {
            entry["metrics"] = true;
        }

        if (Expires is { } expires)
        {
            entry["expires"] = FormatExpiry(expires);
        }

        var limits = new JsonObject();
        if (Limits.RequestsPerMinute is { } perMinute)
        {
            limits["requestsPerMinute"] = perMinute;
        }

        if (Limits.ConcurrentRequests is { } concurrent)
        {
            limits["concurrentRequests"] = concurrent;
        }

        if (Limits.TokensPerMinute is { } tokensPerMinute)
        {
            limits["tokensPerMinute"] = tokensPerMinute;
        }

        if (Limits.TokensPerDay is { } tokensPerDay)
        {
            limits["tokensPerDay"] = tokensPerDay;
        }

        if (limits.Count > 0)
        {
            entry["limits"] = limits;
        }

        return entry;
    }
}
