namespace OllamaGateway.Auth;

/// <summary>What <see cref="CredentialReader"/> found: a key, nothing, or something it refuses to guess about.</summary>
internal readonly record struct CredentialResult(string? Key, bool IsMalformed = false)
{
    public static CredentialResult Missing => default;

    public static CredentialResult Malformed => new(null, IsMalformed: true);
}
