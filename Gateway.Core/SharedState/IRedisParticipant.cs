namespace OllamaGateway.SharedState;

/// <summary>Work that follows the connection's rhythm: renewing what this instance holds, and catching up after an outage.</summary>
internal interface IRedisParticipant
{
    /// <summary>Called on every tick of the connection's timer while Redis is available.</summary>
    Task OnTickAsync(CancellationToken cancellationToken);

    /// <summary>Called once when Redis answers again after an outage, before requests use it again.</summary>
    Task OnRestoredAsync(CancellationToken cancellationToken);
}
