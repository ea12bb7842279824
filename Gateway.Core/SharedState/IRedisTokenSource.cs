namespace OllamaGateway.SharedState;

/// <summary>
/// Signs the gateway in to Redis with a short-lived token instead of a password: Entra ID for Azure Cache for Redis
/// and Azure Managed Redis. A host registers one (the Functions app does, with its managed identity) when the Redis
/// configuration string has no password; the gateway asks it for a token before connecting and again before the
/// current one expires, and every (re)connection authenticates with the newest.
/// </summary>
public interface IRedisTokenSource
{
    /// <summary>The user name and token to authenticate with, and when the token expires.</summary>
    ValueTask<RedisToken> GetTokenAsync(CancellationToken cancellationToken);
}
