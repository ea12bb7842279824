namespace OllamaGateway.SharedState;

/// <summary>Credentials for Redis's <c>AUTH</c> from an <see cref="IRedisTokenSource"/>.</summary>
/// <param name="User">The user name: for Entra ID, the object id of the identity the token was issued to.</param>
/// <param name="Token">The token, sent as the password. Never logged.</param>
/// <param name="ExpiresOn">When the token stops being accepted.</param>
public sealed record RedisToken(string User, string Token, DateTimeOffset ExpiresOn)
{
    /// <summary>Never the token: records print their members, and this one is a secret.</summary>
    public override string ToString() => $"RedisToken {{ User = {User}, ExpiresOn = {ExpiresOn:O} }}";
}
