namespace OllamaGateway.Configuration;

/// <summary>
/// One Ollama server of <c>Gateway:Upstreams</c> (<c>Gateway__Upstreams__0__Url</c>, <c>…__Name</c>, <c>…__Weight</c>,
/// <c>…__Models__0</c>). Checked at start-up by <see cref="UpstreamSetValidator"/>.
/// </summary>
internal sealed class UpstreamOptions
{
    /// <summary>The server's name in logs, <c>/readyz</c>, the request record and the <c>X-Ollama-Upstream</c> header.</summary>
    public string? Name { get; set; }

    /// <summary>The server's base URL, with the same rules as <c>Gateway:OllamaUrl</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Relative capacity (default 1): a server of weight 2 is given twice the requests in flight of one of weight 1.</summary>
    public double? Weight { get; set; }

    /// <summary>
    /// Globs in the key-rights language (<c>llama3*</c>, <c>qwen3:*</c>) naming the models this server is used for; none
    /// means every model it has.
    /// </summary>
    public string[] Models { get; set; } = [];

    /// <summary>
    /// Whether the entry has neither a name nor a URL: a placeholder, as <c>local.settings.sample.json</c> and app settings
    /// templates hold (perhaps with a default weight), rather than a server.
    /// </summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Url);
}
