namespace OllamaGateway.Forwarding;

/// <summary>
/// Request feature: the server a request is going to and whether it may still fail over, counted in that server's
/// requests in flight for as long as it lives (dispose it when the answer is complete). A request fails over at most once,
/// never when it was pinned with <see cref="UpstreamSet.PinHeader"/> or is model management.
/// </summary>
internal sealed class UpstreamAttempt : IDisposable
{
    private readonly UpstreamSet _set;
    private bool _disposed;

    public UpstreamAttempt(UpstreamSet set, OllamaUpstream upstream, string? model, string? canonicalModel, bool mayFailOver, bool pinned)
    {
        _set = set;
        Upstream = upstream;
        RequestedModel = model;
        Model = canonicalModel;
        MayFailOver = mayFailOver;
        Pinned = pinned;
        upstream.Enter();
    }

    /// <summary>The server the request goes to now.</summary>
    public OllamaUpstream Upstream { get; private set; }

    /// <summary>The model as the client wrote it; null for requests without one.</summary>
    public string? RequestedModel { get; }

    /// <summary>The model, canonical (<see cref="Policy.ModelName.Canonical"/>); null for requests without one.</summary>
    public string? Model { get; }

    /// <summary>Whether the request may still go to another server if this one fails before answering.</summary>
    public bool MayFailOver { get; private set; }

    /// <summary>Whether the client named the server (<see cref="UpstreamSet.PinHeader"/>).</summary>
    public bool Pinned { get; }

    /// <summary>The server chosen to answer instead, once a failure calls for one.</summary>
    public OllamaUpstream? Alternative { get; private set; }

    /// <summary>The server the request left, when it failed over.</summary>
    public string? RetriedFrom { get; private set; }

    /// <summary>Finds another healthy server that has the model, if the request may still fail over; true when there is one.</summary>
    public bool TryFindAlternative()
    {
        if (!MayFailOver)
        {
            return false;
        }

        Alternative = _set.Choose(Model, except: Upstream).Upstream;
        return Alternative is not null;
    }

    /// <summary>Moves the request to <see cref="Alternative"/>; it may not fail over again.</summary>
    public void FailOver()
    {
        var next = Alternative ?? throw new InvalidOperationException("No alternative server was found.");
        next.Enter();
        Upstream.Leave();
        RetriedFrom = Upstream.Name;
        Upstream = next;
        Alternative = null;
        MayFailOver = false;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Upstream.Leave();
        }
    }
}
