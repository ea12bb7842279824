namespace OllamaGateway.Configuration;

/// <summary>The access log: <c>Gateway:AccessLog</c>.</summary>
public sealed class AccessLogOptions
{
    /// <summary>Whether one line per request is written (category <c>OllamaGateway.Access</c>, level Information).</summary>
    public bool Enabled { get; set; } = true;
}
