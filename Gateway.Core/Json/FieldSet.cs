namespace OllamaGateway.Json;

/// <summary>
/// The keys Ollama understands in one kind of object, looked up by their Go fold (<see cref="GoKeyFold"/>), so the
/// guard can tell a known field from a case variant of one (<c>MODEL</c>, <c>Options</c>, <c>inſecure</c>).
/// </summary>
internal sealed class FieldSet
{
    private readonly Dictionary<string, string> _byFold;

    /// <summary>Creates the set; every name is Ollama's exact (lower-case) JSON name.</summary>
    public FieldSet(params string[] names)
    {
        _byFold = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            _byFold.Add(GoKeyFold.Fold(name), name);
        }
    }

    /// <summary>
    /// The known field that <paramref name="key"/> differs from only in case (Go would fill that field from it), or
    /// null when the key is the exact field name or matches no field.
    /// </summary>
    /// <param name="key">The key as the client wrote it.</param>
    /// <param name="folded">Its <see cref="GoKeyFold.Fold"/>, which the caller has already computed.</param>
    public string? CaseVariantOf(string key, string folded)
    {
        return _byFold.TryGetValue(folded, out var exact) && !string.Equals(exact, key, StringComparison.Ordinal)
            ? exact
            : null;
    }

    /// <summary>Whether <paramref name="key"/> matches a field in Go's eyes, exactly or as a case variant.</summary>
    public bool MatchesIgnoringCase(string key) => _byFold.ContainsKey(GoKeyFold.Fold(key));
}
