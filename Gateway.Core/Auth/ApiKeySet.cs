using System.Collections.Frozen;

namespace OllamaGateway.Auth;

/// <summary>An immutable set of keys, looked up by hash. Replaced whole, never edited in place.</summary>
public sealed class ApiKeySet
{
    private readonly FrozenDictionary<KeyHash, ApiKey> _byHash;

    /// <summary>Indexes <paramref name="keys"/> by hash.</summary>
    public ApiKeySet(IEnumerable<ApiKey> keys)
    {
        Keys = keys.ToArray();
        _byHash = Keys.ToFrozenDictionary(k => k.Hash);
    }

    /// <summary>No keys: every request is refused.</summary>
    public static ApiKeySet Empty { get; } = new([]);

    /// <summary>The keys, in file order.</summary>
    public IReadOnlyList<ApiKey> Keys { get; }

    /// <summary>The key whose hash matches <paramref name="presentedKey"/>, or null.</summary>
    public ApiKey? Find(ReadOnlySpan<char> presentedKey)
    {
        if (presentedKey.IsEmpty || presentedKey.Length > KeyHash.MaxKeyLength)
        {
            return null;
        }

        return _byHash.GetValueOrDefault(KeyHash.Compute(presentedKey));
    }
}
