namespace OllamaGateway.Json;

/// <summary>
/// Folds a JSON key the way Go's <c>encoding/json</c> does when it matches keys to struct fields: ASCII letters
/// ignore case, and so do the two non-ASCII letters whose Unicode simple case fold reaches ASCII, U+212A KELVIN SIGN
/// (folds with <c>k</c>) and U+017F LATIN SMALL LETTER LONG S (folds with <c>s</c>). Go's <c>foldName</c> maps every
/// rune to the smallest rune of its fold set, so <c>"inſecure"</c> sets <c>insecure</c> and <c>"\u212Aeep_alive"</c>
/// sets <c>keep_alive</c>. .NET's <c>OrdinalIgnoreCase</c> does not fold either character (and does fold some Go
/// does not, such as U+0131), which is why neither the guard nor the OpenAI translators (<c>Translation/JsonKeySet</c>,
/// the embeddings translator) use it.
/// </summary>
/// <remarks>
/// Every Ollama struct field name is ASCII, so other non-ASCII letters can never match a field, and in Go maps
/// (options, schemas, tool arguments) keys are compared exactly: leaving them unfolded is faithful.
/// </remarks>
internal static class GoKeyFold
{
    /// <summary>The folded form: two keys reach the same Ollama struct field exactly when their folds are equal.</summary>
    public static string Fold(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Create(key.Length, key, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = FoldChar(source[i]);
            }
        });
    }

    private static char FoldChar(char c) => c switch
    {
        >= 'a' and <= 'z' => (char)(c - ('a' - 'A')),
        '\u212A' => 'K',
        '\u017F' => 'S',
        _ => c,
    };
}
