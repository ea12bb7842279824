using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OllamaGateway.Server.Certificates;

/// <summary>
/// Makes the gateway's self-signed server certificate, fixing what the seed proxy got wrong: every host name
/// and IP address a client may use is a subject alternative name (the seed had only DNS:localhost, so
/// https://127.0.0.1 failed verification), and the certificate says it is a server leaf.
/// </summary>
/// <remarks>
/// ECDSA P-256 rather than RSA 2048: every client that speaks TLS 1.2 or 1.3 (OpenSSL behind curl and Python,
/// SChannel, Apple's stack, .NET's SslStream, Kestrel behind <c>func start --useHttps</c>) supports it; the key
/// and handshake are smaller and faster, and the strength is about RSA 3072's.
/// The certificate is its own trust anchor, pinned by clients, yet not a CA (basicConstraints CA:FALSE, no
/// keyCertSign): browsers reject a CA certificate used as a server, while OpenSSL 3, Windows, macOS and .NET all
/// accept a self-signed leaf placed directly in their trust store, as ASP.NET Core's development certificate
/// does. Subject and authority key identifiers are present because Python 3.13's strict X.509 checks ask for them.
/// </remarks>
internal static class SelfSignedCertificateFactory
{
    public const int DefaultValidityDays = 365;

    /// <summary>CA/Browser Forum's old ceiling for server certificates; Apple clients reject longer ones (support.apple.com/HT210176).</summary>
    public const int MaxValidityDays = 825;

    /// <summary>How far back the validity starts, so a client whose clock runs a little slow still accepts a new certificate.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromDays(1);

    public static readonly IReadOnlyList<string> DefaultHosts = ["localhost", "127.0.0.1", "::1"];

    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const int MaxCommonNameLength = 64;

    /// <summary>
    /// Creates the certificate (with its private key) for <paramref name="hosts"/>, valid from a day before
    /// <paramref name="now"/> until <paramref name="validityDays"/> days after it.
    /// </summary>
    public static X509Certificate2 Create(IReadOnlyList<string> hosts, int validityDays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfLessThan(validityDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validityDays, MaxValidityDays);
        if (hosts.Count == 0)
        {
            throw new ArgumentException("At least one host name or IP address is needed.", nameof(hosts));
        }

        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            var problem = CheckHost(host);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(hosts));
            }

            if (TryParseIpAddress(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(hosts[0].Length <= MaxCommonNameLength ? hosts[0] : "OllamaGateway");
        subject.AddOrganizationName("OllamaGateway (self-signed)");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));

        // ECDSA keys sign the handshake; keyEncipherment would only apply to RSA key transport.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthenticationOid)], critical: false));
        request.CertificateExtensions.Add(names.Build(critical: false));
        var subjectKeyIdentifier = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(subjectKeyIdentifier);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyIdentifier));

        return request.CreateSelfSigned(now - ClockSkewAllowance, now.AddDays(validityDays));
    }

    /// <summary>Returns why <paramref name="host"/> cannot be a subject alternative name, or null when it can.</summary>
    public static string? CheckHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Length == 0)
        {
            return "A host name must not be empty.";
        }

        if (TryParseIpAddress(host, out _))
        {
            return null;
        }

        if (host.Contains(':', StringComparison.Ordinal) || host.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return $"'{host}' is neither a host name nor a complete IPv4 (a.b.c.d) or IPv6 address (no zone, no brackets, no port).";
        }

        if (!host.All(char.IsAscii))
        {
            return $"'{host}' is not ASCII; give an internationalised name in its xn-- (punycode) form.";
        }

        // A wildcard is allowed only as the whole leftmost label (RFC 6125 §6.4.3), and never on its own.
        var checkedPart = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (host.Length > 253 || (host != checkedPart && !checkedPart.Contains('.', StringComparison.Ordinal))
            || Uri.CheckHostName(checkedPart) != UriHostNameType.Dns)
        {
            return $"'{host}' is not a valid host name.";
        }

        return null;
    }

    /// <summary>
    /// IP addresses in their full forms only: <see cref="IPAddress.TryParse(string, out IPAddress)"/> also takes
    /// "10.1" or "1", which a user more likely meant as something else.
    /// </summary>
    private static bool TryParseIpAddress(string host, out IPAddress address)
    {
        address = IPAddress.None;
        if (!IPAddress.TryParse(host, out var parsed) || host.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3)
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetworkV6 && host.StartsWith('['))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>The SHA-256 fingerprint as colon-separated hex pairs, as browsers and openssl show it.</summary>
    public static string FormatFingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hex = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }
}
