using System.Text;

namespace OllamaGateway.Policy;

/// <summary>
/// A key's model allow-list: glob patterns (<c>*</c> any run of characters except <c>/</c>, <c>?</c> one
/// character) compared case-insensitively with the model's canonical name, as Ollama resolves it. So the
/// pattern <c>llama3.2</c> allows <c>llama3.2</c>, <c>llama3.2:latest</c> and <c>library/Llama3.2</c> alike
/// (wire pitfall 20), and <c>llama3.2*</c> does not reach into another namespace.
/// </summary>
internal sealed class ModelAccess
{
    private const string DefaultPrefix = "registry.ollama.ai/";
    private const string DefaultNamespace = "library/";

    private readonly string[]? _patterns;

    private ModelAccess(string[]? patterns, IReadOnlyList<string> source)
    {
        _patterns = patterns;
        Patterns = source;
    }

    /// <summary>Every model is allowed.</summary>
    public static ModelAccess All { get; } = new(null, []);

    /// <summary>The patterns as written in the keys file; empty for <see cref="All"/>.</summary>
    public IReadOnlyList<string> Patterns { get; }

    public bool AllowsAll => _patterns is null;

    public static ModelAccess FromPatterns(IReadOnlyList<string> patterns) =>
        new([.. patterns.Select(Canonical)], [.. patterns]);

    /// <summary>Whether a pattern is well formed: Ollama's name characters plus <c>*</c> and <c>?</c>.</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern.Length is > 0 and <= 256
        && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '/' or '*' or '?')
        && !pattern.StartsWith('/') && !pattern.EndsWith('/') && !pattern.Contains("//", StringComparison.Ordinal);

    public bool Allows(string model)
    {
        if (_patterns is null)
        {
            return true;
        }

        if (!ModelName.SameModel(model, model))
        {
            // Not a complete model name: Ollama refuses it anyway, and policy never guesses.
            return false;
        }

        var canonical = ModelName.Canonical(model);
        foreach (var pattern in _patterns)
        {
            if (GlobMatches(pattern, canonical))
            {
                return true;
            }
        }

        return false;
    }

    // Fill in the parts Ollama would: registry host, "library" namespace, and ":latest" when the pattern names
    // a model without a tag and without a wildcard that could stand for one.
    private static string Canonical(string pattern)
    {
        var lower = pattern.ToLowerInvariant();
        var slashes = lower.Count(c => c == '/');
        var builder = new StringBuilder();
        if (slashes < 2)
        {
            builder.Append(DefaultPrefix);
        }

        if (slashes < 1)
        {
            builder.Append(DefaultNamespace);
        }

        builder.Append(lower);
        var modelPart = lower[(lower.LastIndexOf('/') + 1)..];
        if (!modelPart.Contains(':', StringComparison.Ordinal) && !modelPart.EndsWith('*'))
        {
            builder.Append(":latest");
        }

        return builder.ToString();
    }

    private static bool GlobMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative wildcard matching with one backtrack point: linear in practice, no regex, no recursion.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == text[t] || (pattern[p] == '?' && text[t] != '/')))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0 && text[mark] != '/')
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
