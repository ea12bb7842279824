namespace OllamaGateway.Server.Certificates;

/// <summary>
/// The files <c>cert create</c> writes into one directory: the certificate and PKCS#8 key as PEM (Kestrel,
/// curl, Python) and the same pair as a password-protected PFX with its password (<c>func start --cert</c>).
/// </summary>
internal sealed record CertificateFileSet(string CertificatePem, string KeyPem, string Pfx, string PfxPassword)
{
    public const string DefaultDirectory = "certs";
    public const string CertificateFileName = "gateway.crt.pem";
    public const string KeyFileName = "gateway.key.pem";
    public const string PfxFileName = "gateway.pfx";
    public const string PfxPasswordFileName = "gateway.pfx.password";

    public static CertificateFileSet InDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new CertificateFileSet(
            Path.Combine(directory, CertificateFileName),
            Path.Combine(directory, KeyFileName),
            Path.Combine(directory, PfxFileName),
            Path.Combine(directory, PfxPasswordFileName));
    }

    public IReadOnlyList<string> All => [CertificatePem, KeyPem, Pfx, PfxPassword];
}
