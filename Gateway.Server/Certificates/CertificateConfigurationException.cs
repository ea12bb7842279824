namespace OllamaGateway.Server.Certificates;

/// <summary>
/// A configured TLS certificate or key is missing, unreadable, outside its validity period or does not fit
/// its key. The message is one line that starts with the setting to fix, so a host can print it as it is.
/// </summary>
public sealed class CertificateConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="setting"/> (for example <c>Gateway:Tls:KeyPath</c>).</summary>
    public CertificateConfigurationException(string setting, string problem, Exception? innerException = null)
        : base($"{setting}: {problem}", innerException)
    {
        Setting = setting;
    }

    /// <summary>The configuration setting to fix, such as <c>Gateway:Tls:CertificatePath</c>.</summary>
    public string Setting { get; }
}
