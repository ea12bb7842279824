using System.Text;

namespace OllamaGateway.Validation;

/// <summary>
/// Finds the registry a pull, push or create-<c>from</c> name makes Ollama contact, and applies the
/// <see cref="RegistryPolicy"/>.
/// </summary>
/// <remarks>
/// Ollama has two parsers for these names and the guard must agree with both. <c>types/model.ParseName</c> (see
/// <c>Translation/Models/ModelName</c>) cuts parts from the right, so <c>a/b/c/d</c> has host <c>a/b</c>;
/// <c>server.ParseModelPath</c> cuts a <c>scheme://</c> first, then splits on <c>/</c> into at most three parts
/// and uses the scheme for the registry URL (<c>http://host/ns/m</c> talks plain HTTP: the Probllama exploit
/// pulled <c>http://attacker/rogue/x</c> with <c>insecure: true</c>, security reference §1.2). The two agree on
/// <c>[scheme://]host/ns/model[:tag]</c> and on names of one or two parts without a scheme, so those are the only
/// shapes accepted; a scheme with fewer than three parts (Ollama would use it with the default registry, or
/// refuse) and names of four or more parts are refused as ambiguous.
/// </remarks>
internal static class RegistryName
{
    private const string DefaultRegistry = "registry.ollama.ai";

    /// <summary>
    /// Checks <paramref name="name"/> (from field <paramref name="field"/>) against <paramref name="policy"/>; null
    /// when Ollama would reach an allowed registry over an allowed transport.
    /// </summary>
    public static GuardError? Check(string name, string field, RegistryPolicy policy)
    {
        var rest = name;
        var plainHttp = false;
        var schemeEnd = name.IndexOf("://", StringComparison.Ordinal);
        var hasScheme = schemeEnd >= 0;
        if (hasScheme)
        {
            var scheme = name[..schemeEnd];
            if (string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                plainHttp = true;
            }
            else if (!string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                return GuardErrors.SchemeNotAllowed(field);
            }

            rest = name[(schemeEnd + 3)..];
        }

        var parts = rest.Split('/');
        if (parts.Length > 3 || (hasScheme && parts.Length != 3))
        {
            return GuardErrors.InvalidValue(field, "a model name must be [https://]host/namespace/model[:tag], namespace/model[:tag] or model[:tag].");
        }

        var host = parts.Length == 3 ? parts[0] : DefaultRegistry;

        // Ollama only accepts ASCII host names; an IDN or a dotless 'ı' would match an allowlist entry under
        // OrdinalIgnoreCase ("registry.ollama.aı") while resolving to a different host.
        if (host.Length == 0 || !Ascii.IsValid(host))
        {
            return GuardErrors.InvalidValue(field, "the registry host must be a non-empty ASCII host name.");
        }

        if (!IsAllowed(host, policy.AllowedRegistries))
        {
            return GuardErrors.RegistryNotAllowed(field, host);
        }

        return plainHttp && !policy.AllowInsecure ? GuardErrors.InsecureNotAllowed(field) : null;
    }

    private static bool IsAllowed(string host, IReadOnlyList<string> allowed)
    {
        foreach (var entry in allowed)
        {
            if (Ascii.EqualsIgnoreCase(host, entry))
            {
                return true;
            }
        }

        return false;
    }
}
