using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class TlsCertificateLoaderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PemPair_LoadsWithItsKey()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);

        var loaded = TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now);

        Assert.Equal(certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
    }

    [Fact]
    public void Pfx_LoadsWithItsPasswordFile()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        File.AppendAllText(files.PfxPassword, "\n"); // as an editor or `echo` would leave it

        var loaded = TlsCertificateLoader.Load(new TlsOptions { CertificatePath = files.Pfx, PasswordFile = files.PfxPassword }, s_now);

        Assert.Equal(certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
    }

    [Fact]
    public void CombinedPem_LoadsWithoutKeyPath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        var combined = directory.PathOf("combined.pem");
        File.WriteAllText(combined, File.ReadAllText(files.CertificatePem) + File.ReadAllText(files.KeyPem));

        var loaded = TlsCertificateLoader.Load(new TlsOptions { CertificatePath = combined }, s_now);

        Assert.True(loaded.Certificate.HasPrivateKey);
    }

    [Fact]
    public void EncryptedKey_LoadsWithItsPassword()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(files.KeyPem, key.ExportEncryptedPkcs8PrivateKeyPem("s3cret",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));

        var loaded = TlsCertificateLoader.Load(
            new TlsOptions { CertificatePath = files.CertificatePem, KeyPath = files.KeyPem, Password = "s3cret" }, s_now);
        var missingPassword = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(TlsOptions.PasswordSetting, missingPassword.Setting);
    }

    [Fact]
    public void RsaPemPair_Loads()
    {
        using var directory = new TempDirectory();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(s_now.AddDays(-1), s_now.AddDays(1));
        File.WriteAllText(directory.PathOf("rsa.crt.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(directory.PathOf("rsa.key.pem"), rsa.ExportPkcs8PrivateKeyPem());

        var loaded = TlsCertificateLoader.Load(new TlsOptions { CertificatePath = directory.PathOf("rsa.crt.pem"), KeyPath = directory.PathOf("rsa.key.pem") }, s_now);

        Assert.True(loaded.Certificate.HasPrivateKey);
    }

    [Fact]
    public void MissingCertificate_NamesCertificatePath()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(
            new TlsOptions { CertificatePath = directory.PathOf("absent.pem"), KeyPath = directory.PathOf("absent.key") }, s_now));

        AssertOneLine(error, TlsOptions.CertificatePathSetting, "does not exist");
    }

    [Fact]
    public void MissingKey_NamesKeyPath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        File.Delete(files.KeyPem);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.KeyPathSetting, "does not exist");
    }

    [Fact]
    public void DirectoryInsteadOfFile_NamesCertificatePath()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(new TlsOptions { CertificatePath = directory.Path }, s_now));

        AssertOneLine(error, TlsOptions.CertificatePathSetting, "is a directory");
    }

    [Theory]
    [InlineData("not a certificate at all")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void UnreadableCertificate_NamesCertificatePath(string content)
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        File.WriteAllText(files.CertificatePem, content);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.CertificatePathSetting, files.CertificatePem);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    public void UnreadableKey_NamesKeyPath(string content)
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        File.WriteAllText(files.KeyPem, content);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.KeyPathSetting, files.KeyPem);
    }

    [Fact]
    public void PemWithoutKeyAndNoKeyPath_NamesKeyPath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(new TlsOptions { CertificatePath = files.CertificatePem }, s_now));

        AssertOneLine(error, TlsOptions.KeyPathSetting, "its own file");
    }

    [Fact]
    public void KeyOfAnotherCertificate_IsAMismatchNamingKeyPath()
    {
        using var directory = new TempDirectory();
        using var other = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        using var stranger = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        var strangerFiles = TestCertificates.Write(other.Path, stranger);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(
            new TlsOptions { CertificatePath = files.CertificatePem, KeyPath = strangerFiles.KeyPem }, s_now));

        AssertOneLine(error, TlsOptions.KeyPathSetting, "does not match");
    }

    [Fact]
    public void RsaKeyForEcdsaCertificate_NamesKeyPath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);
        using var rsa = RSA.Create(2048);
        File.WriteAllText(files.KeyPem, rsa.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.KeyPathSetting, "ECDSA");
    }

    [Fact]
    public void ExpiredCertificate_NamesCertificatePath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now.AddDays(-60), days: 30);
        var files = TestCertificates.Write(directory.Path, certificate);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.CertificatePathSetting, "expired");
    }

    [Fact]
    public void NotYetValidCertificate_NamesCertificatePath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now.AddDays(10));
        var files = TestCertificates.Write(directory.Path, certificate);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.CertificatePathSetting, "not valid until");
    }

    [Fact]
    public void ClientOnlyCertificate_IsRefused()
    {
        using var directory = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(s_now.AddDays(-1), s_now.AddDays(1));
        var files = TestCertificates.Write(directory.Path, certificate);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(TestCertificates.PemOptions(files), s_now));

        AssertOneLine(error, TlsOptions.CertificatePathSetting, "serverAuth");
    }

    [Fact]
    public void PfxWithWrongPassword_NamesThePasswordSetting()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);

        var wrong = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(new TlsOptions { CertificatePath = files.Pfx, Password = "wrong" }, s_now));
        var none = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(new TlsOptions { CertificatePath = files.Pfx }, s_now));

        AssertOneLine(wrong, TlsOptions.PasswordSetting, "does not open with this password");
        AssertOneLine(none, TlsOptions.PasswordSetting, "needs a password");
    }

    [Fact]
    public void PfxWithKeyPath_NamesKeyPath()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, certificate);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsCertificateLoader.Load(
            new TlsOptions { CertificatePath = files.Pfx, KeyPath = files.KeyPem, PasswordFile = files.PfxPassword }, s_now));

        AssertOneLine(error, TlsOptions.KeyPathSetting, "PEM certificates only");
    }

    [Fact]
    public void FileStamp_ChangesWhenAFileIsReplacedOrRemoved()
    {
        using var directory = new TempDirectory();
        using var first = TestCertificates.Create(s_now);
        using var second = TestCertificates.Create(s_now);
        var files = TestCertificates.Write(directory.Path, first);
        var options = TestCertificates.PemOptions(files);
        var original = TlsCertificateLoader.ReadFileStamp(options);
        Assert.Equal(original, TlsCertificateLoader.ReadFileStamp(options));

        TestCertificates.Write(directory.Path, second, overwrite: true);
        var replaced = TlsCertificateLoader.ReadFileStamp(options);
        File.Delete(files.KeyPem);
        var removed = TlsCertificateLoader.ReadFileStamp(options);

        Assert.NotEqual(original, replaced);
        Assert.NotEqual(replaced, removed);
    }

    private static void AssertOneLine(CertificateConfigurationException error, string setting, string expected)
    {
        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
