namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>
/// A measurement's tags as they were recorded (names and string values, in their order), the key of a family's cache
/// from tags to series. Looking a measurement's tags up here hashes a few short strings and allocates nothing; only a
/// label set not seen before has its exposition text written, sorted and escaped.
/// </summary>
internal sealed class TagSet
{
    // Values are strings (null kept as empty, as the label text writes it): equal tags compare and hash as one.
    private readonly KeyValuePair<string, object?>[] _tags;

    private TagSet(KeyValuePair<string, object?>[] tags) => _tags = tags;

    /// <summary>Whether the tags can be a key: every value a string (or none), so equal tags are equal text.</summary>
    public static bool CanKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Value is not (string or null))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares tags the way <see cref="TagSet"/> keys them; takes only tags that <see cref="CanKey"/> accepts.</summary>
    public sealed class Comparer : IEqualityComparer<TagSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
    {
        public static Comparer Instance { get; } = new();

        public bool Equals(TagSet? x, TagSet? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && Equals(x._tags, y));

        public int GetHashCode(TagSet set) => GetHashCode(set._tags);

        public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other)
        {
            if (alternate.Length != other._tags.Length)
            {
                return false;
            }

            for (var i = 0; i < alternate.Length; i++)
            {
                if (!string.Equals(alternate[i].Key, other._tags[i].Key, StringComparison.Ordinal)
                    || !string.Equals((string?)alternate[i].Value ?? string.Empty, (string?)other._tags[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate)
        {
            var hash = default(HashCode);
            foreach (var tag in alternate)
            {
                hash.Add(tag.Key);
                hash.Add((string?)tag.Value ?? string.Empty);
            }

            return hash.ToHashCode();
        }

        public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate)
        {
            var tags = new KeyValuePair<string, object?>[alternate.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                tags[i] = new(alternate[i].Key, (string?)alternate[i].Value ?? string.Empty);
            }

            return new TagSet(tags);
        }
    }
}
