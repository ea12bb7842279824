namespace OllamaGateway.Policy;

/// <summary>
/// Ollama's cloud models. A name whose tag is <c>cloud</c> or ends in <c>-cloud</c> (<c>gpt-oss:120b-cloud</c>,
/// <c>gpt-oss:120b:cloud</c>, <c>gpt-oss:cloud</c>) is not run locally: Ollama forwards the request to ollama.com,
/// signed with its owner's account, which pays for it. The rule is Ollama's own (<c>internal/modelref</c>
/// <c>ParseRef</c>, used by every inference, show and pull handler): after trimming spaces, the text after the last
/// <c>:</c>, trimmed and lower-cased, is <c>cloud</c>, or ends in <c>-cloud</c> and holds no <c>/</c>.
/// </summary>
internal static class CloudModelName
{
    private const string CloudTag = "cloud";
    private const string CloudSuffix = "-cloud";

    /// <summary>
    /// The single form Ollama stores a cloud model under (its pull name): <c>gpt-oss:120b:cloud</c> and
    /// <c>gpt-oss:120b-cloud</c> both give <c>gpt-oss:120b-cloud</c>, <c>gpt-oss:cloud</c> stays as it is. Ollama
    /// sends both spellings to the same cloud model, so policy compares this form. Null for a name Ollama runs locally:
    /// only a name with a form here is sent to ollama.com.
    /// </summary>
    public static string? StoredForm(string name) =>
        TrySplit(name, out var baseName)
            ? (HasTag(baseName) ? baseName + CloudSuffix : baseName + ":" + CloudTag)
            : null;

    // Ollama's parseSourceSuffix after ParseRef's TrimSpace (.NET's Trim and Go's TrimSpace drop the same Unicode
    // white space). Ollama refuses a name with two source suffixes ("x:cloud:cloud"); counting it as cloud here only
    // refuses it earlier.
    private static bool TrySplit(string name, out string baseName)
    {
        var raw = name.Trim();
        baseName = raw;
        var colon = raw.LastIndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        var suffix = raw[(colon + 1)..].Trim();
        if (suffix.Equals(CloudTag, StringComparison.OrdinalIgnoreCase))
        {
            baseName = raw[..colon];
            return true;
        }

        if (!suffix.Contains('/', StringComparison.Ordinal) && suffix.EndsWith(CloudSuffix, StringComparison.OrdinalIgnoreCase))
        {
            baseName = raw[..(colon + 1)] + suffix[..^CloudSuffix.Length];
            return true;
        }

        return false;
    }

    // Ollama's HasExplicitTag: a ':' after the last '/' (a ':' before it belongs to a registry port).
    private static bool HasTag(string name) => name.LastIndexOf(':') > name.LastIndexOf('/');
}
