using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OllamaGateway.Auth;

/// <summary>
/// SHA-256 of a key's UTF-8 bytes, held as four integers so that a lookup needs no allocation.
/// A random key of 256 bits cannot be recovered from this hash, so a fast hash is the right one
/// (a slow password KDF would only hand attackers a CPU lever; see security.md §2.5).
/// </summary>
public readonly record struct KeyHash(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Keys longer than this are never valid; it bounds the stack buffer below.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>How a hash is written in keys.json: <c>sha256:</c> and 64 hex digits.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The SHA-256 of the key's UTF-8 bytes.</summary>
    public static KeyHash Compute(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[MaxKeyLength * 3];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return FromDigest(digest);
    }

    /// <summary>Parses <c>sha256:</c> followed by exactly 64 hex digits (either case).</summary>
    public static bool TryParse(string? text, out KeyHash hash)
    {
        hash = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + 64)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        // Anything but hex digits (white space, a sign) is InvalidData; the length is checked above.
        if (Convert.FromHexString(text.AsSpan(Prefix.Length), digest, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        hash = FromDigest(digest);
        return true;
    }

    /// <summary>The keys.json form: <c>sha256:</c> and 64 lower-case hex digits.</summary>
    public override string ToString()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        BinaryPrimitives.WriteUInt64BigEndian(digest, A);
        BinaryPrimitives.WriteUInt64BigEndian(digest[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(digest[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(digest[24..], D);
        return Prefix + Convert.ToHexStringLower(digest);
    }

    private static KeyHash FromDigest(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64BigEndian(digest),
        BinaryPrimitives.ReadUInt64BigEndian(digest[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(digest[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(digest[24..]));
}
