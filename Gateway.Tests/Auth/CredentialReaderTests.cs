using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OllamaGateway.Auth;

namespace OllamaGateway.Tests.Auth;

public sealed class CredentialReaderTests
{
    private static CredentialResult Read(params (string Name, StringValues Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        return CredentialReader.Read(dictionary);
    }

    [Theory]
    [InlineData("Bearer sk-a")]
    [InlineData("bearer sk-a")]
    [InlineData("BEARER sk-a")]
    [InlineData("Bearer   sk-a  ")]
    public void BearerScheme_IsReadInAnyCase(string value)
    {
        Assert.Equal("sk-a", Read(("Authorization", value)).Key);
    }

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("api-key")]
    [InlineData("X-API-Key")]
    public void KeyHeaders_AreRead(string header)
    {
        Assert.Equal("sk-a", Read((header, "sk-a")).Key);
    }

    [Fact]
    public void NoHeaders_IsMissing()
    {
        var result = Read();

        Assert.Null(result.Key);
        Assert.False(result.IsMalformed);
    }

    [Theory]
    [InlineData("Basic c2stYTo=")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearersk-a")]
    [InlineData("Bearer sk-a sk-b")]
    [InlineData("sk-a")]
    public void OtherAuthorizationForms_AreMalformed(string value)
    {
        var result = Read(("Authorization", value));

        Assert.Null(result.Key);
        Assert.True(result.IsMalformed);
    }

    [Fact]
    public void SameKeyInSeveralHeaders_IsAccepted()
    {
        Assert.Equal("sk-a", Read(("Authorization", "Bearer sk-a"), ("x-api-key", "sk-a"), ("api-key", "sk-a")).Key);
    }

    [Fact]
    public void DifferentKeysInSeveralHeaders_AreRefused()
    {
        Assert.True(Read(("Authorization", "Bearer sk-a"), ("x-api-key", "sk-b")).IsMalformed);
        Assert.True(Read(("x-api-key", "sk-a"), ("api-key", "sk-b")).IsMalformed);
    }

    [Fact]
    public void RepeatedHeader_IsRefused()
    {
        Assert.True(Read(("Authorization", new StringValues(["Bearer sk-a", "Bearer sk-b"]))).IsMalformed);
        Assert.True(Read(("x-api-key", new StringValues(["sk-a", "sk-a"]))).IsMalformed);
    }
}
