using System.Collections.Frozen;

namespace OllamaGateway.Auth;

/// <summary>An immutable set of keys, looked up by hash. Replaced whole, never edited in place.</summary>
internal sealed class ApiKeySet
{
    private readonly FrozenDictionary<KeyHash, ApiKey> _byHash;

    public ApiKeySet(IEnumerable<ApiKey> keys)
    {
        Keys = keys.ToArray();
        _byHash = Keys.ToFrozenDictionary(k => k.Hash);
    }

    public static ApiKeySet Empty { get; } = new([]);

    public IReadOnlyList<ApiKey> Keys { get; }

    public ApiKey? Find(ReadOnlySpan<char> presentedKey)
    {
        if (presentedKey.IsEmpty || presentedKey.Length > KeyHash.MaxKeyLength)
        {
            return null;
        }

        return _byHash.GetValueOrDefault(KeyHash.Compute(presentedKey));
    }
}
