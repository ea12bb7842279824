using System.Text;
using Azure.Core;
using OllamaGateway.Functions;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// Entra ID for Redis on Azure: which configuration strings sign in with the managed identity, and what the gateway
/// sends as user and password.
/// </summary>
public sealed class RedisSignInTests
{
    [Theory]
    [InlineData("redis-ogw-abc.westeurope.redis.azure.net:10000,ssl=True,abortConnect=False", true)]
    [InlineData("cache.redis.cache.windows.net:6380,ssl=true", true)]
    [InlineData("redis-ogw-abc.westeurope.redis.azure.net:10000,ssl=True,password=secret", false)]
    [InlineData("localhost:6379", false)]
    [InlineData("10.0.0.7:6379,ssl=true", false)]
    [InlineData("", false)]
    public void EntraId_IsUsedForAzureHostsWithoutAPassword(string configuration, bool expected) =>
        Assert.Equal(expected, RedisSignIn.UsesEntraId(configuration));

    [Fact]
    public async Task TokenSource_SignsInAsTheTokensObjectId_WithTheTokenAsPassword()
    {
        var expires = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        var jwt = Jwt("""{"aud":"https://redis.azure.com","oid":"6f1c1a2e-0000-4000-8000-000000000001"}""");
        var credential = new FixedCredential(new AccessToken(jwt, expires));

        var token = await new EntraIdRedisTokenSource(credential).GetTokenAsync(CancellationToken.None);

        Assert.Equal("6f1c1a2e-0000-4000-8000-000000000001", token.User);
        Assert.Equal(jwt, token.Token);
        Assert.Equal(expires, token.ExpiresOn);
        Assert.Equal([RedisSignIn.Scope], credential.Scopes);
        Assert.DoesNotContain(jwt, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithoutObjectId_IsRefused()
    {
        var credential = new FixedCredential(new AccessToken(Jwt("""{"aud":"https://redis.azure.com"}"""), DateTimeOffset.UtcNow.AddHours(1)));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await new EntraIdRedisTokenSource(credential).GetTokenAsync(CancellationToken.None));
        Assert.Null(RedisSignIn.ObjectIdOf("not-a-jwt"));
    }

    private static string Jwt(string payload) =>
        "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";

    private sealed class FixedCredential(AccessToken token) : TokenCredential
    {
        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return token;
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
