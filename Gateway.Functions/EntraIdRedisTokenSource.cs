using Azure.Core;
using OllamaGateway.SharedState;

namespace OllamaGateway.Functions;

/// <summary>Tokens for Redis from an Entra ID credential: the identity's object id as the user, the token as the password.</summary>
public sealed class EntraIdRedisTokenSource(TokenCredential credential) : IRedisTokenSource
{
    /// <inheritdoc/>
    public async ValueTask<RedisToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([RedisSignIn.Scope]), cancellationToken);
        var user = RedisSignIn.ObjectIdOf(token.Token)
            ?? throw new InvalidOperationException("The Entra ID token for Redis names no object id (oid): Redis cannot tell which identity signs in.");
        return new RedisToken(user, token.Token, token.ExpiresOn);
    }
}
