namespace OllamaGateway.Validation;

/// <summary>
/// Watches the keys of one JSON object and refuses a repeat (Go keeps the last duplicate, a .NET reader often the
/// first) and a case variant of a known field (Go fills the field from it; the gateway's exact-match code would
/// not see it). Security reference §0 item 3 and §2.7: <c>{"model":"ok","MODEL":"forbidden"}</c>.
/// </summary>
internal sealed class ObjectKeyTracker
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly FieldSet? _fields;

    /// <summary>
    /// Creates a tracker. <paramref name="fields"/> is the object's known fields, or null for a free-form object
    /// (a JSON schema, tool arguments) where only repeats are refused.
    /// </summary>
    public ObjectKeyTracker(FieldSet? fields) => _fields = fields;

    /// <summary>Records <paramref name="key"/>; <paramref name="path"/> names it in the error.</summary>
    public GuardError? Add(string key, string path)
    {
        // Duplicates compare by Go fold at every level, even in free-form objects where Go compares exactly: a
        // schema with both "id" and "ID" is refused. That is rare and costs one 400, and one rule is easier to trust.
        var folded = GoKeyFold.Fold(key);
        if (!_seen.Add(folded))
        {
            return GuardErrors.DuplicateKey(path);
        }

        var known = _fields?.CaseVariantOf(key, folded);
        return known is null ? null : GuardErrors.CaseVariant(path, known);
    }
}
