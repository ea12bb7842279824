using System.Security.Cryptography;
using System.Text;
using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Tests.Auth;

public sealed class KeyHashTests
{
    [Fact]
    public void Compute_IsSha256OfUtf8Bytes()
    {
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("sk-ünï")));

        Assert.Equal(expected, KeyHash.Compute("sk-ünï").ToString());
    }

    [Fact]
    public void TryParse_RoundTripsToString()
    {
        var hash = KeyHash.Compute("sk-test");

        Assert.True(KeyHash.TryParse(hash.ToString(), out var parsed));
        Assert.Equal(hash, parsed);
    }

    [Fact]
    public void GeneratedKeys_HavePrefixAnd256BitsOfBase62()
    {
        var a = ApiKeyGenerator.Create();
        var b = ApiKeyGenerator.Create();

        Assert.StartsWith("sk-ogw-", a);
        Assert.Equal(7 + 43, a.Length);
        Assert.All(a[7..], c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void OverlongKey_IsNeverFound()
    {
        var set = new ApiKeySet([new ApiKey("a", KeyHash.Compute("sk-a"))]);

        Assert.Null(set.Find(new string('x', KeyHash.MaxKeyLength + 1)));
        Assert.Null(set.Find(string.Empty));
    }
}
