using System.Security.Cryptography;
using System.Text;
using OllamaGateway.Auth;

namespace OllamaGateway.Tests.Auth;

/// <summary>
/// The bounds of a key and of its stored hash: keys of up to 512 characters (any length in between, not just short
/// ones) are stored, found and refused exactly at the limit; a hash is <c>sha256:</c> and exactly 64 hex digits.
/// </summary>
public sealed class KeyLengthTests
{
    [Theory]
    [InlineData(171)]
    [InlineData(300)]
    [InlineData(KeyHash.MaxKeyLength)]
    public void LongPlainKey_UpToTheLimit_IsAcceptedAndAuthenticates(int length)
    {
        var bare = Key(length);
        var named = Key(length, offset: 1);

        var keys = KeyFileParser.Parse(Encoding.UTF8.GetBytes($$"""{"keys": ["{{bare}}", {"name": "long", "key": "{{named}}"}]}"""), "keys.json");

        Assert.Equal("keys[0]", keys.Find(bare)!.Name);
        Assert.Equal("long", keys.Find(named)!.Name);
    }

    [Fact]
    public void PlainKeyOverTheLimit_MakesTheFileInvalid_InEitherForm()
    {
        var key = Key(KeyHash.MaxKeyLength + 1);

        foreach (var file in new[] { $$"""{"keys": ["{{key}}"]}""", $$"""{"keys": [{"name": "long", "key": "{{key}}"}]}""" })
        {
            var error = Assert.Throws<KeyFileException>(() => KeyFileParser.Parse(Encoding.UTF8.GetBytes(file), "keys.json"));
            Assert.Contains("1 to 512 visible ASCII characters", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(171)]
    [InlineData(KeyHash.MaxKeyLength)]
    public void PresentedKeyUpToTheLimit_IsFoundByItsHash(int length)
    {
        var key = Key(length);
        var set = new ApiKeySet([new ApiKey("long", KeyHash.Compute(key))]);

        Assert.Equal("long", set.Find(key)!.Name);
    }

    [Fact]
    public void PresentedKeyOverTheLimit_IsNeverFound_EvenWhenItsHashIsStored()
    {
        var key = Key(KeyHash.MaxKeyLength + 1);
        var set = new ApiKeySet([new ApiKey("long", Hash(key))]);

        Assert.Null(set.Find(key));
    }

    [Fact]
    public void LongestKeyInThreeByteCharacters_Hashes_AndLongerOnesAreNotFound()
    {
        // 512 characters of 3 bytes each fill the whole buffer; one more character is over the limit, not a crash.
        var widest = new string('€', KeyHash.MaxKeyLength);
        var tooWide = widest + "€";
        var set = new ApiKeySet([new ApiKey("wide", Hash(widest)), new ApiKey("wider", Hash(tooWide))]);

        Assert.Equal(Hash(widest), KeyHash.Compute(widest));
        Assert.Equal("wide", set.Find(widest)!.Name);
        Assert.Null(set.Find(tooWide));
        Assert.Null(set.Find(new string('€', 600)));
    }

    [Theory]
    [InlineData("sha512:")]
    [InlineData("sha256-")]
    [InlineData("SHA256:")]
    [InlineData("")]
    public void HashWithAnotherPrefix_IsNoHash(string prefix)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData("sk-a"u8));

        Assert.False(KeyHash.TryParse(prefix + hex, out var hash));
        Assert.Equal(default, hash);
        Assert.Throws<KeyFileException>(() => KeyFileParser.Parse(Encoding.UTF8.GetBytes($$"""{"keys": [{"name": "a", "hash": "{{prefix + hex}}"}]}"""), "keys.json"));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    public void HashWithTheWrongNumberOfDigits_IsNoHash(int digits)
    {
        var hex = string.Concat(Enumerable.Repeat("ab", 40))[..digits];

        Assert.False(KeyHash.TryParse("sha256:" + hex, out _));
    }

    [Theory]
    [InlineData('g')]
    [InlineData(' ')]
    [InlineData('-')]
    public void HashWithANonHexDigit_IsNoHash(char bad)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData("sk-a"u8));

        Assert.False(KeyHash.TryParse("sha256:" + hex[..10] + bad + hex[11..], out _));
    }

    [Fact]
    public void HashInUpperCase_IsTheSameHash()
    {
        var hash = KeyHash.Compute("sk-a");

        Assert.True(KeyHash.TryParse(hash.ToString().ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal), out var parsed));
        Assert.Equal(hash, parsed);
        Assert.False(KeyHash.TryParse(null, out _));
    }

    // A key of visible ASCII (nothing JSON would need escaped) of the given length.
    private static string Key(int length, int offset = 0)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!#$%&()*+,/:;<=>?@[]^`{|}";
        return string.Concat(Enumerable.Range(offset, length).Select(i => Alphabet[i % Alphabet.Length]));
    }

    private static KeyHash Hash(string key)
    {
        Assert.True(KeyHash.TryParse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), out var hash));
        return hash;
    }
}
