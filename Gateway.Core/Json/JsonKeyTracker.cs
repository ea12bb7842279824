namespace OllamaGateway.Json;

/// <summary>
/// Watches the keys of one JSON object while it is walked and finds the two shapes that make a body mean different
/// things to different readers: a key seen twice, and a case variant of a known field. Ollama's Go
/// <c>encoding/json</c> matches keys to fields case-insensitively and keeps the last duplicate, while a .NET reader
/// sees the first exact match, so <c>{"model":"ok","MODEL":"forbidden"}</c> could pass a check as <c>ok</c> and run as
/// <c>forbidden</c> (security reference §0 item 3, §2.7). Keys are compared by Go's own folding
/// (<see cref="GoKeyFold"/>), so <c>"ſtream"</c> and <c>"\u212Aeep_alive"</c> count too.
/// </summary>
/// <remarks>
/// The one tracker of the guard and every translator; each caller words the refusal in its own API's error shape.
/// Duplicates compare by Go fold even in free-form objects (a schema, tool arguments) where Go compares exactly: a
/// schema with both <c>id</c> and <c>ID</c> is refused. That is rare and costs one 400, and one rule is easier to trust.
/// </remarks>
internal sealed class JsonKeyTracker
{
    private readonly HashSet<string> _seenFolds = new(StringComparer.Ordinal);
    private readonly FieldSet? _known;

    /// <summary>
    /// Creates a tracker. <paramref name="known"/> is the object's known fields, or null for a free-form object where
    /// only repeats are refused.
    /// </summary>
    public JsonKeyTracker(FieldSet? known) => _known = known;

    /// <summary>Records <paramref name="key"/> and says whether it repeats an earlier key or is a case variant.</summary>
    public KeyCheck Add(string key)
    {
        var folded = GoKeyFold.Fold(key);
        if (!_seenFolds.Add(folded))
        {
            return KeyCheck.Duplicate;
        }

        var known = _known?.CaseVariantOf(key, folded);
        return known is null ? KeyCheck.Ok : new KeyCheck(KeyProblem.CaseVariant, known);
    }
}
