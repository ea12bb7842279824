using System.Text;

namespace OllamaGateway.Policy;

/// <summary>
/// A key's model allow-list: glob patterns (<c>*</c> any run of characters except <c>/</c>, <c>?</c> one
/// character) compared case-insensitively with the model's canonical name, as Ollama resolves it. So the
/// pattern <c>llama3.2</c> allows <c>llama3.2</c>, <c>llama3.2:latest</c> and <c>library/Llama3.2</c> alike
/// (wire pitfall 20), and <c>llama3.2*</c> does not reach into another namespace.
/// Ollama's cloud models (<see cref="CloudModelName"/>) run on the Ollama owner's ollama.com account, so they are
/// allowed only by a pattern that itself names a cloud model (<c>gpt-oss:120b-cloud</c>, <c>*-cloud</c>,
/// <c>*:cloud</c>): neither the default rights nor a glob such as <c>*</c> or <c>gpt-oss*</c> ever reaches one.
/// </summary>
public sealed class ModelAccess
{
    /// <summary>
    /// A pattern for every model Ollama runs locally, in any registry and namespace; what <c>keys create</c> writes
    /// for <c>--models '*'</c> when cloud models are named beside it.
    /// </summary>
    public const string EveryLocalModel = "*/*/*";

    private const string DefaultPrefix = "registry.ollama.ai/";
    private const string DefaultNamespace = "library/";
    private const string CloudSuffix = "-cloud";

    private readonly string[]? _patterns;
    private readonly string[] _cloudPatterns;

    private ModelAccess(string[]? patterns, string[] cloudPatterns, IReadOnlyList<string> source)
    {
        _patterns = patterns;
        _cloudPatterns = cloudPatterns;
        Patterns = source;
    }

    /// <summary>The default rights: every model except Ollama's cloud models.</summary>
    public static ModelAccess All { get; } = new(null, [], []);

    /// <summary>The patterns as written in the keys file; empty for <see cref="All"/>.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>
    /// Whether these are the default rights (<see cref="All"/>, no list in the keys file): every model Ollama runs
    /// locally. Cloud models are still refused, so this is no reason to skip <see cref="Allows"/> or to pass a
    /// model list on unfiltered.
    /// </summary>
    public bool AllowsAll => _patterns is null;

    /// <summary>Access to the models <paramref name="patterns"/> match (see README, "Keys and rights").</summary>
    public static ModelAccess FromPatterns(IReadOnlyList<string> patterns) =>
        new([.. patterns.Select(Canonical)], [.. patterns.Select(CloudCanonical).OfType<string>()], [.. patterns]);

    /// <summary>Whether a pattern names cloud models, and so can allow them: its tag is <c>cloud</c> or ends in <c>-cloud</c>.</summary>
    public static bool NamesCloudModels(string pattern) => CloudCanonical(pattern) is not null;

    /// <summary>Whether a pattern is well formed: Ollama's name characters plus <c>*</c> and <c>?</c>.</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern.Length is > 0 and <= 256
        && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '/' or '*' or '?')
        && !pattern.StartsWith('/') && !pattern.EndsWith('/') && !pattern.Contains("//", StringComparison.Ordinal);

    /// <summary>Whether a request may name <paramref name="model"/>, compared as Ollama resolves names.</summary>
    public bool Allows(string model)
    {
        if (!ModelName.SameModel(model, model))
        {
            // Not a complete model name: Ollama refuses it anyway, and policy never guesses.
            return false;
        }

        if (CloudModelName.StoredForm(model) is { } cloud)
        {
            // Paid for by whoever runs Ollama: only a pattern written for cloud models reaches one.
            return MatchesAny(_cloudPatterns, ModelName.Canonical(cloud));
        }

        return _patterns is null || MatchesAny(_patterns, ModelName.Canonical(model));
    }

    private static bool MatchesAny(string[] patterns, string canonical)
    {
        foreach (var pattern in patterns)
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
        var qualified = Qualified(lower);
        var modelPart = lower[(lower.LastIndexOf('/') + 1)..];
        return !modelPart.Contains(':', StringComparison.Ordinal) && !modelPart.EndsWith('*') ? qualified + ":latest" : qualified;
    }

    // The form a pattern for cloud models is compared in, or null when the pattern does not name cloud models. A
    // cloud tag is written as Ollama stores it ("x:120b:cloud" as "x:120b-cloud", see CloudModelName.StoredForm).
    // A pattern without a tag that ends in "-cloud" names cloud models when a '*' in it can stand for "name:tag",
    // as in "*-cloud"; it never gets ":latest", which no cloud model has.
    private static string? CloudCanonical(string pattern)
    {
        var lower = pattern.ToLowerInvariant();
        if (CloudModelName.StoredForm(lower) is { } stored)
        {
            return Qualified(stored);
        }

        var modelPart = lower[(lower.LastIndexOf('/') + 1)..];
        return modelPart.Contains('*', StringComparison.Ordinal) && modelPart.EndsWith(CloudSuffix, StringComparison.Ordinal)
            ? Qualified(lower)
            : null;
    }

    private static string Qualified(string lower)
    {
        var slashes = lower.Count(c => c == '/');
        return (slashes < 2 ? DefaultPrefix : string.Empty) + (slashes < 1 ? DefaultNamespace : string.Empty) + lower;
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
