using System.Security.Cryptography;
using OllamaGateway.Auth;

namespace OllamaGateway.Server.Keys;

/// <summary>Makes new keys: a recognisable prefix (so secret scanners can find leaked keys) and 256 bits of randomness.</summary>
internal static class ApiKeyGenerator
{
    public const string Prefix = "sk-ogw-";

    /// <summary>How much of a key <c>keys list</c> may show: the keys file's limit (<see cref="ApiKey.MaxPrefixLength"/>).</summary>
    public const int DisplayPrefixLength = ApiKey.MaxPrefixLength;

    // 43 characters of base62 carry 43 * log2(62) = 256.04 bits.
    private const int SecretLength = 43;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Create() => Prefix + RandomNumberGenerator.GetString(Alphabet, SecretLength);
}
