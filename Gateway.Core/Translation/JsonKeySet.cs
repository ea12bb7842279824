using OllamaGateway.Validation;

namespace OllamaGateway.Translation;

/// <summary>
/// Tracks the keys of one JSON object while it is walked, and refuses duplicates and case variants.
/// Why: Ollama's Go <c>encoding/json</c> matches keys case-insensitively and keeps the last one, while a C# check
/// sees the first exact match. <c>{"model":"a","MODEL":"b"}</c> could pass a policy check as <c>a</c> and run
/// as <c>b</c>; the gateway re-serialises, but refusing the ambiguity keeps every reader of the body in agreement.
/// Keys are compared by Go's own folding (<see cref="GoKeyFold"/>), not .NET's <c>OrdinalIgnoreCase</c>: Go also
/// takes <c>"ſtream"</c> (U+017F) for <c>stream</c> and <c>"\u212Aeep_alive"</c> (Kelvin sign) for <c>keep_alive</c>.
/// </summary>
internal sealed class JsonKeySet
{
    private readonly HashSet<string> _seenFolds = new(StringComparer.Ordinal);
    private readonly FieldSet _known;

    /// <summary>Creates a tracker for an object whose understood keys are <paramref name="known"/>.</summary>
    public JsonKeySet(FieldSet known) => _known = known;

    /// <summary>
    /// Records <paramref name="name"/>; returns an error if it repeats an earlier key (ignoring case as Go does) or is a
    /// case variant of a known key. <paramref name="param"/> is the full path used in the error.
    /// </summary>
    public TranslationError? Add(string name, string param)
    {
        string fold = GoKeyFold.Fold(name);
        if (!_seenFolds.Add(fold))
        {
            return RequestErrors.DuplicateKey(param);
        }

        string? known = _known.CaseVariantOf(name, fold);
        return known is null ? null : RequestErrors.CaseVariantKey(param, known);
    }
}
