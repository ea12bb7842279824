using System.Net;
using StackExchange.Redis.Configuration;

namespace OllamaGateway.SharedState;

/// <summary>
/// StackExchange.Redis reads the user and password of every (re)connection from its options' defaults when the
/// configuration string names none: this provider hands out the newest token, so a reconnection after a token
/// refresh signs in with the new one.
/// </summary>
internal sealed class TokenOptionsProvider : DefaultOptionsProvider
{
    private volatile RedisToken? _token;

    /// <summary>The token every new connection authenticates with.</summary>
    public RedisToken? Token
    {
        get => _token;
        set => _token = value;
    }

    /// <inheritdoc/>
    public override string? User => _token?.User;

    /// <inheritdoc/>
    public override string? Password => _token?.Token;

    /// <inheritdoc/>
    public override bool IsMatch(EndPoint endpoint) => true;
}
