namespace OllamaGateway.Configuration;

/// <summary>How the gateway checks its Ollama servers when there are several (<c>Gateway:UpstreamHealth:*</c>).</summary>
internal sealed class UpstreamHealthOptions
{
    /// <summary>How often each server is asked <c>GET /api/version</c>.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a probe, or one server's part of a merged model list, may take.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a server that refused a request's connection is left out before it is tried again.</summary>
    public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(30);
}
