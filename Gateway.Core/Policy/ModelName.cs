using System.Text;

namespace OllamaGateway.Policy;

/// <summary>
/// Ollama's model-name rules, <c>[scheme://][host/][namespace/]model[:tag]</c>, as its <c>types/model</c>
/// <c>ParseName</c> applies them: the host defaults to <c>registry.ollama.ai</c>, the namespace to <c>library</c>
/// and the tag to <c>latest</c>, and names compare case-insensitively (wire reference §1.1, pitfall 20). Policy
/// must compare names this way, or <c>llama3.2</c>, <c>llama3.2:latest</c> and <c>Llama3.2</c> could be judged
/// differently while Ollama runs the same model for all three.
/// </summary>
internal static class ModelName
{
    private const string DefaultHost = "registry.ollama.ai";
    private const string DefaultNamespace = "library";
    private const string DefaultTag = "latest";

    /// <summary>
    /// The fully qualified, lower-cased form <c>host/namespace/model:tag</c>, with defaults filled in and any
    /// <c>http://</c>-style scheme dropped: <c>Llama3.2</c> gives <c>registry.ollama.ai/library/llama3.2:latest</c>.
    /// Two names are the same model exactly when their canonical forms are equal (ordinal).
    /// </summary>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var (host, ns, model, tag) = Parse(name);
        // Stryker disable once all : the capacity is a size hint; any capacity builds the same string
        var builder = new StringBuilder(host.Length + ns.Length + model.Length + tag.Length + 3);
        AppendLower(builder, host).Append('/');
        AppendLower(builder, ns).Append('/');
        AppendLower(builder, model).Append(':');
        AppendLower(builder, tag);
        return builder.ToString();
    }

    /// <summary>
    /// Whether two names denote the same model: <c>x</c> equals <c>x:latest</c> and <c>library/X</c>. A name with
    /// an empty part (<c>""</c>, <c>"x:"</c>, <c>"/x"</c>, <c>"ns/"</c>) is invalid in Ollama, which refuses it, so it
    /// matches nothing, not even itself.
    /// </summary>
    public static bool SameModel(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var left = Parse(a);
        var right = Parse(b);
        // Equal parts are equally complete: checking one side is enough.
        return IsComplete(left)
            && AsciiEqualsIgnoreCase(left.Host, right.Host)
            && AsciiEqualsIgnoreCase(left.Namespace, right.Namespace)
            && AsciiEqualsIgnoreCase(left.Model, right.Model)
            && AsciiEqualsIgnoreCase(left.Tag, right.Tag);
    }

    /// <summary>
    /// The namespace part with its case kept, <c>library</c> when absent. Ollama ref reports it as a model's
    /// <c>owned_by</c> (wire reference §3.8): <c>alice/mymodel:v1</c> gives <c>alice</c>, and
    /// <c>host:5000/ns/model:tag</c> gives <c>ns</c>.
    /// </summary>
    public static string Namespace(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Parse(name).Namespace;
    }

    // Ollama's ParseNameBare, then Merge with the defaults. Parts are cut from the right at the last separator, so
    // "a/b/c/d" is host "a/b", namespace "c", model "d". An empty part between separators ("x:", "/x") stays empty,
    // as Ollama's cutPromised marks it missing (an invalid name) rather than filling the default.
    private static (string Host, string Namespace, string Model, string Tag) Parse(string name)
    {
        var rest = name.AsSpan();
        string? tag = null;

        // ':' also separates a registry port ("host:5000/ns/model"), but '/' may never appear in a tag: so a ':'
        // starts the tag only when it comes after the last '/'.
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..].ToString();
            rest = rest[..colon];
        }

        var slash = rest.LastIndexOf('/');
        if (slash < 0)
        {
            return (DefaultHost, DefaultNamespace, rest.ToString(), tag ?? DefaultTag);
        }

        var model = rest[(slash + 1)..].ToString();
        rest = rest[..slash];

        slash = rest.LastIndexOf('/');
        if (slash < 0)
        {
            return (DefaultHost, rest.ToString(), model, tag ?? DefaultTag);
        }

        var ns = rest[(slash + 1)..].ToString();
        rest = rest[..slash];

        // Ollama drops a "scheme://" before the host (strings.Cut on "://").
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
        }

        return (rest.ToString(), ns, model, tag ?? DefaultTag);
    }

    // Ollama folds only ASCII letters, and only ASCII letters, digits, '.', '-' and '_' are valid in a name, so
    // culture-aware or full Unicode folding would match names Ollama keeps apart.
    private static StringBuilder AppendLower(StringBuilder builder, string part)
    {
        foreach (var c in part)
        {
            builder.Append(ToAsciiLower(c));
        }

        return builder;
    }

    private static bool IsComplete((string Host, string Namespace, string Model, string Tag) name) =>
        name.Host.Length > 0 && name.Namespace.Length > 0 && name.Model.Length > 0 && name.Tag.Length > 0;

    // Same folding as AppendLower, so SameModel(a, b) agrees with Canonical(a) == Canonical(b) on complete names.
    private static bool AsciiEqualsIgnoreCase(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && ToAsciiLower(a[i]) != ToAsciiLower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char ToAsciiLower(char c) => char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
}
