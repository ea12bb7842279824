using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OllamaGateway.Server.Certificates;

/// <summary>
/// Loads the certificate named by <see cref="TlsOptions"/> and checks what would otherwise only fail at the
/// first handshake (or never visibly): the files exist and parse, the key belongs to the certificate, the
/// certificate is valid now and is meant for servers. Every failure is a
/// <see cref="CertificateConfigurationException"/> that names the setting to fix.
/// </summary>
internal static class TlsCertificateLoader
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaPublicKeyOid = "1.2.840.113549.1.1.1";
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    /// <summary>Loads and checks the certificate, noting the file stamp first.</summary>
    public static LoadedCertificate Load(TlsOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stamp = ReadFileStamp(options);
        return new LoadedCertificate(LoadCertificate(options, now), stamp);
    }

    /// <summary>
    /// Last-write times and sizes of every file the certificate is loaded from. Files replaced by a new
    /// certificate get a new stamp; a missing file stamps as such, so its return is noticed too.
    /// </summary>
    public static string ReadFileStamp(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new StringBuilder();
        foreach (var path in new[] { options.CertificatePath, options.KeyPath, options.PasswordFile })
        {
            if (path is null)
            {
                continue;
            }

            var file = new FileInfo(path);
            builder.Append(file.Exists ? $"{file.LastWriteTimeUtc.Ticks}:{file.Length}" : "missing").Append('|');
        }

        return builder.ToString();
    }

    private static X509Certificate2 LoadCertificate(TlsOptions options, DateTimeOffset now)
    {
        var certificatePath = options.CertificatePath
            ?? throw new CertificateConfigurationException(TlsOptions.CertificatePathSetting, "is not set.");
        var bytes = ReadFile(certificatePath, TlsOptions.CertificatePathSetting);
        var password = ReadPassword(options);

        // PEM is text with "-----BEGIN" blocks; anything else is taken for a PFX (PKCS#12) file.
        var text = Encoding.ASCII.GetString(bytes);
        var certificate = PemEncoding.TryFind(text, out _)
            ? LoadPem(certificatePath, text, options.KeyPath, password)
            : LoadPfx(certificatePath, bytes, options, password);

        try
        {
            Check(certificate, certificatePath, now);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }

        // Windows' TLS stack (SChannel) cannot use a key that lives only in this process, as PEM keys do;
        // a round trip through PKCS#12 stores it where SChannel can reach it. Kestrel does the same.
        if (OperatingSystem.IsWindows())
        {
            using (certificate)
            {
                return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
            }
        }

        return certificate;
    }

    private static byte[] ReadFile(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new CertificateConfigurationException(
                setting, Directory.Exists(path) ? $"'{path}' is a directory, not a file." : $"file '{path}' does not exist.");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CertificateConfigurationException(setting, $"file '{path}' cannot be read ({ex.Message}).", ex);
        }
    }

    private static string? ReadPassword(TlsOptions options)
    {
        if (options.PasswordFile is null)
        {
            return options.Password;
        }

        // Editors and `echo` add a final newline that is not part of the password.
        return Encoding.UTF8.GetString(ReadFile(options.PasswordFile, TlsOptions.PasswordFileSetting)).TrimEnd('\r', '\n');
    }

    private static X509Certificate2 LoadPem(string certificatePath, string certificateText, string? keyPath, string? password)
    {
        X509Certificate2 publicOnly;
        try
        {
            publicOnly = X509Certificate2.CreateFromPem(certificateText);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateConfigurationException(
                TlsOptions.CertificatePathSetting, $"file '{certificatePath}' holds no readable PEM certificate ({ex.Message}).", ex);
        }

        using (publicOnly)
        {
            // Without KeyPath the key may follow the certificate in the same file, as in a combined PEM.
            var keyText = keyPath is null ? certificateText : Encoding.ASCII.GetString(ReadFile(keyPath, TlsOptions.KeyPathSetting));
            var keySource = keyPath ?? certificatePath;
            AsymmetricAlgorithm key = publicOnly.PublicKey.Oid.Value switch
            {
                EcPublicKeyOid => ECDsa.Create(),
                RsaPublicKeyOid => RSA.Create(),
                var other => throw new CertificateConfigurationException(
                    TlsOptions.CertificatePathSetting, $"certificate '{certificatePath}' has a key type ({other}) other than RSA or ECDSA."),
            };

            using (key)
            {
                ImportKey(key, keyText, password, keySource, keyPath is null);
                if (!HasSamePublicKey(publicOnly, key))
                {
                    throw new CertificateConfigurationException(
                        TlsOptions.KeyPathSetting, $"the private key in '{keySource}' does not match the certificate in '{certificatePath}'.");
                }

                return key is ECDsa ecdsa ? publicOnly.CopyWithPrivateKey(ecdsa) : publicOnly.CopyWithPrivateKey((RSA)key);
            }
        }
    }

    private static void ImportKey(AsymmetricAlgorithm key, string keyText, string? password, string keySource, bool keyFromCertificateFile)
    {
        var keyType = key is ECDsa ? "ECDSA" : "RSA";
        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) && password is null)
        {
            throw new CertificateConfigurationException(
                TlsOptions.PasswordSetting, $"the key in '{keySource}' is encrypted; set {TlsOptions.PasswordSetting} or {TlsOptions.PasswordFileSetting}.");
        }

        try
        {
            if (password is not null && keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            {
                key.ImportFromEncryptedPem(keyText, password);
            }
            else
            {
                key.ImportFromPem(keyText);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            // ArgumentException: no PEM block of a key type this algorithm reads (for example an RSA key for an ECDSA certificate).
            var hint = keyFromCertificateFile ? $" (set {TlsOptions.KeyPathSetting} when the key is in its own file)" : string.Empty;
            throw new CertificateConfigurationException(
                TlsOptions.KeyPathSetting, $"file '{keySource}' holds no readable {keyType} private key{hint}: {ex.Message}", ex);
        }
    }

    private static bool HasSamePublicKey(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        // Compare key parameters rather than encodings, which may legitimately differ (named or explicit curve).
        if (key is ECDsa ecdsa)
        {
            using var certificateKey = certificate.GetECDsaPublicKey();
            var expected = certificateKey?.ExportParameters(includePrivateParameters: false);
            var actual = ecdsa.ExportParameters(includePrivateParameters: false);
            return expected is { } e
                && e.Q.X.AsSpan().SequenceEqual(actual.Q.X) && e.Q.Y.AsSpan().SequenceEqual(actual.Q.Y);
        }

        using var certificateRsa = certificate.GetRSAPublicKey();
        var expectedRsa = certificateRsa?.ExportParameters(includePrivateParameters: false);
        var actualRsa = ((RSA)key).ExportParameters(includePrivateParameters: false);
        return expectedRsa is { } r
            && r.Modulus.AsSpan().SequenceEqual(actualRsa.Modulus) && r.Exponent.AsSpan().SequenceEqual(actualRsa.Exponent);
    }

    private static X509Certificate2 LoadPfx(string certificatePath, byte[] bytes, TlsOptions options, string? password)
    {
        if (!IsPkcs12(bytes))
        {
            throw new CertificateConfigurationException(
                TlsOptions.CertificatePathSetting, $"file '{certificatePath}' is neither a PEM certificate nor a PFX (PKCS#12) file.");
        }

        if (options.KeyPath is not null)
        {
            throw new CertificateConfigurationException(
                TlsOptions.KeyPathSetting, $"applies to PEM certificates only; '{certificatePath}' is not PEM (a PFX carries its own key).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (CryptographicException ex)
        {
            var setting = options.PasswordFile is not null ? TlsOptions.PasswordFileSetting : TlsOptions.PasswordSetting;
            var problem = password is null
                ? $"the PFX '{certificatePath}' needs a password; set {TlsOptions.PasswordSetting} or {TlsOptions.PasswordFileSetting}"
                : $"the PFX '{certificatePath}' does not open with this password";
            throw new CertificateConfigurationException(setting, $"{problem} ({ex.Message}).", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CertificateConfigurationException(TlsOptions.CertificatePathSetting, $"the PFX '{certificatePath}' holds no private key.");
        }

        return certificate;
    }

    private static bool IsPkcs12(byte[] bytes)
    {
        try
        {
            return X509Certificate2.GetCertContentType(bytes) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            // Thrown for data that is no certificate format at all.
            return false;
        }
    }

    private static void Check(X509Certificate2 certificate, string certificatePath, DateTimeOffset now)
    {
        // NotBefore/NotAfter are local DateTimes; DateTimeOffset keeps the comparison free of time zones.
        var notBefore = new DateTimeOffset(certificate.NotBefore);
        var notAfter = new DateTimeOffset(certificate.NotAfter);
        if (now < notBefore)
        {
            throw new CertificateConfigurationException(
                TlsOptions.CertificatePathSetting, $"certificate '{certificatePath}' is not valid until {notBefore.UtcDateTime:u}.");
        }

        if (now > notAfter)
        {
            throw new CertificateConfigurationException(
                TlsOptions.CertificatePathSetting, $"certificate '{certificatePath}' expired on {notAfter.UtcDateTime:u}.");
        }

        // Without an EKU extension any use is allowed (RFC 5280 §4.2.1.12); with one, clients insist on serverAuth.
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages;
        if (usages is not null && !usages.Cast<Oid>().Any(oid => oid.Value is ServerAuthenticationOid or AnyExtendedKeyUsageOid))
        {
            throw new CertificateConfigurationException(
                TlsOptions.CertificatePathSetting, $"certificate '{certificatePath}' is not for TLS servers (its extended key usage lacks serverAuth).");
        }
    }
}
