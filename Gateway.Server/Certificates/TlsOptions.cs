using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OllamaGateway.Server.Certificates;

/// <summary>
/// The gateway's own, simpler TLS settings (<c>Gateway:Tls:*</c>): one certificate for every HTTPS endpoint,
/// either a PEM pair (<see cref="CertificatePath"/> + <see cref="KeyPath"/>) or a PFX with its password.
/// Read by hand rather than bound so that each bad value is reported with its setting name.
/// </summary>
internal sealed class TlsOptions
{
    public const string SectionName = "Gateway:Tls";
    public const string CertificatePathSetting = SectionName + ":CertificatePath";
    public const string KeyPathSetting = SectionName + ":KeyPath";
    public const string PasswordSetting = SectionName + ":Password";
    public const string PasswordFileSetting = SectionName + ":PasswordFile";
    public const string HttpsPortSetting = SectionName + ":HttpsPort";
    public const string HttpPortSetting = SectionName + ":HttpPort";

    /// <summary>Port for HTTPS when no URLs are configured: the usual alternative HTTPS port, beside the plain 8080 default.</summary>
    public const int DefaultHttpsPort = 8443;

    /// <summary>PEM certificate (optionally followed by its key) or PFX/PKCS#12 file.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>PEM private key (PKCS#8, SEC1 or PKCS#1; encrypted PKCS#8 when a password is given). PEM only.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Password of the PFX or of an encrypted PEM key.</summary>
    public string? Password { get; init; }

    /// <summary>File holding the password, so the secret stays out of settings files and process listings.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>Port the server listens on for HTTPS when no URLs are configured.</summary>
    public int HttpsPort { get; init; } = DefaultHttpsPort;

    /// <summary>Port for plain HTTP beside HTTPS when no URLs are configured; none when unset.</summary>
    public int? HttpPort { get; init; }

    /// <summary>True when a certificate is configured, which turns the gateway's TLS handling on.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>
    /// Reads <c>Gateway:Tls</c>; relative paths are resolved against <paramref name="contentRoot"/>.
    /// Throws <see cref="CertificateConfigurationException"/> naming the first bad setting.
    /// </summary>
    public static TlsOptions FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new TlsOptions
        {
            CertificatePath = ResolvePath(configuration[CertificatePathSetting], contentRoot),
            KeyPath = ResolvePath(configuration[KeyPathSetting], contentRoot),
            Password = NullIfEmpty(configuration[PasswordSetting]),
            PasswordFile = ResolvePath(configuration[PasswordFileSetting], contentRoot),
            HttpsPort = ReadPort(configuration, HttpsPortSetting) ?? DefaultHttpsPort,
            HttpPort = ReadPort(configuration, HttpPortSetting),
        };

        if (!options.IsConfigured)
        {
            // A key or password without a certificate is a half-done setup: say so rather than silently serve plain HTTP.
            var orphan = new[] { KeyPathSetting, PasswordSetting, PasswordFileSetting, HttpsPortSetting, HttpPortSetting }
                .FirstOrDefault(setting => !string.IsNullOrWhiteSpace(configuration[setting]));
            if (orphan is not null)
            {
                throw new CertificateConfigurationException(CertificatePathSetting, $"must be set when {orphan} is set.");
            }
        }

        if (options.Password is not null && options.PasswordFile is not null)
        {
            throw new CertificateConfigurationException(PasswordFileSetting, $"set either {PasswordSetting} or {PasswordFileSetting}, not both.");
        }

        return options;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? ResolvePath(string? value, string contentRoot) =>
        string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value, contentRoot);

    private static int? ReadPort(IConfiguration configuration, string setting)
    {
        var value = configuration[setting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CertificateConfigurationException(setting, $"must be a port number from 1 to 65535 (got '{value}').");
        }

        return port;
    }
}
