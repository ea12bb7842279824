using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OllamaGateway.Server.Certificates;

namespace OllamaGateway.Server.Tls;

/// <summary>
/// HTTPS for the Kestrel host. Kestrel's own settings (<c>Kestrel:Endpoints:*:Certificate</c>, PEM or PFX) keep
/// working; <c>Gateway:Tls:*</c> is the simpler alternative: one certificate for every HTTPS endpoint, served
/// through <see cref="CertificateReloader"/> so that a renewed certificate is used without a restart.
/// Either way only TLS 1.2 and 1.3 are offered.
/// </summary>
internal static class ServerTls
{
    /// <summary>
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996). Left to the OS, older Windows versions still offer them.
    /// An endpoint's own <c>SslProtocols</c> setting still overrides this default.
    /// </summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Where to listen when <c>Gateway:Tls</c> is set and no URLs are configured: HTTPS on
    /// <see cref="TlsOptions.HttpsPort"/>, plus plain HTTP only when <c>Gateway:Tls:HttpPort</c> asks for it.
    /// Null when <c>Gateway:Tls</c> is not set.
    /// </summary>
    public static string? DefaultUrls(IConfiguration configuration, string contentRoot)
    {
        var options = TlsOptions.FromConfiguration(configuration, contentRoot);
        if (!options.IsConfigured)
        {
            return null;
        }

        return options.HttpPort is { } httpPort
            ? $"https://*:{options.HttpsPort};http://*:{httpPort}"
            : $"https://*:{options.HttpsPort}";
    }

    /// <summary>
    /// Restricts TLS versions and, when <c>Gateway:Tls</c> is set, loads its certificate now, so a bad one
    /// stops start-up with a <see cref="CertificateConfigurationException"/> before anything listens.
    /// </summary>
    public static WebApplicationBuilder AddServerTls(this WebApplicationBuilder builder)
    {
        var options = TlsOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        if (options.IsConfigured)
        {
            RejectKestrelCertificates(builder.Configuration);
            var initial = TlsCertificateLoader.Load(options, TimeProvider.System.GetUtcNow());
            builder.Services.AddSingleton(services => new CertificateReloader(
                options, initial, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<CertificateReloader>>()));
        }

        // The slim builder leaves HTTPS out; this brings back https:// URLs and Kestrel:Endpoints certificates.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => ConfigureHttps(
            https, options.IsConfigured ? kestrel.ApplicationServices.GetRequiredService<CertificateReloader>() : null)));
        return builder;
    }

    /// <summary>Applied to every HTTPS endpoint, whether it comes from URLs or from <c>Kestrel:Endpoints</c>.</summary>
    internal static void ConfigureHttps(HttpsConnectionAdapterOptions https, CertificateReloader? reloader)
    {
        https.SslProtocols = Protocols;
        if (reloader is not null)
        {
            https.ServerCertificateSelector = (_, _) => reloader.GetCertificate();
        }
    }

    /// <summary>
    /// Kestrel lets a certificate selector win over an endpoint's own certificate, so with both configured
    /// one would be silently ignored. Refuse the combination instead.
    /// </summary>
    private static void RejectKestrelCertificates(IConfiguration configuration)
    {
        var conflicting = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint.GetSection("Certificate"))
            .Append(configuration.GetSection("Kestrel:Certificates:Default"))
            .FirstOrDefault(section => section.Exists());
        if (conflicting is not null)
        {
            throw new CertificateConfigurationException(
                TlsOptions.CertificatePathSetting, $"cannot be combined with {conflicting.Path}; configure the certificate in one place.");
        }
    }
}
