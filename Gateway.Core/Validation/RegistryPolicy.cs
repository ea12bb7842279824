namespace OllamaGateway.Validation;

/// <summary>
/// Which model registries <c>/api/pull</c>, <c>/api/push</c> and <c>/api/create</c> (<c>from</c>) may reach. Pull and
/// push are where Ollama's worst bugs live (Probllama CVE-2024-37032, CVE-2025-51471, CVE-2026-5530: security
/// reference §1.2), and an attacker registry is the usual way in, so the hosts are an allowlist.
/// </summary>
/// <param name="AllowedRegistries">Registry hosts, compared ignoring ASCII case; a port is part of the host (<c>host:5000</c>).</param>
/// <param name="AllowInsecure">Whether <c>insecure: true</c> or an <c>http://</c> name (plain HTTP, unchecked TLS) may pass.</param>
internal sealed record RegistryPolicy(IReadOnlyList<string> AllowedRegistries, bool AllowInsecure)
{
    /// <summary>Only Ollama's own registry, never insecure.</summary>
    public static RegistryPolicy Default { get; } = new(["registry.ollama.ai"], false);
}
