namespace OllamaGateway.Configuration;

/// <summary>
/// The Ollama servers behind the gateway, bound from the <c>Gateway</c> section beside <see cref="GatewayOptions"/>:
/// <c>Gateway:Upstreams</c> (a list), <c>Gateway:UpstreamHealth</c> and <c>Gateway:UpstreamInventoryInterval</c>. With no
/// upstream listed, the one server is <c>Gateway:OllamaUrl</c>, named <c>default</c>.
/// </summary>
internal sealed class UpstreamSetOptions
{
    /// <summary>The servers; blank placeholder entries are ignored (<see cref="UpstreamOptions.IsBlank"/>).</summary>
    public UpstreamOptions[] Upstreams { get; set; } = [];

    /// <summary>Active probes and passive marking.</summary>
    public UpstreamHealthOptions UpstreamHealth { get; set; } = new();

    /// <summary>How often each server's <c>/api/tags</c> and <c>/api/ps</c> are read, to know which models live where.</summary>
    public TimeSpan UpstreamInventoryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The configured servers, placeholders left out.</summary>
    public IEnumerable<UpstreamOptions> Configured => Upstreams.Where(upstream => upstream is not null && !upstream.IsBlank);
}
