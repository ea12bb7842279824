using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class CertificateFileWriterTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Secrets_AreOwnerOnlyAndTheCertificateIsPublic()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes do not exist there.
        }

        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();

        var files = TestCertificates.Write(directory.Path, certificate);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(files.KeyPem));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(files.Pfx));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(files.PfxPassword));
        Assert.Equal(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(files.CertificatePem));
    }

    [Fact]
    public void Secrets_StayOwnerOnlyWhenReplaced()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var directory = new TempDirectory();
        using var first = TestCertificates.Create();
        using var second = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, first);
        File.SetUnixFileMode(files.KeyPem, OwnerOnly | UnixFileMode.OtherRead);

        TestCertificates.Write(directory.Path, second, overwrite: true);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(files.KeyPem));
    }

    [Fact]
    public void PemFiles_HoldTheCertificateAndItsPkcs8Key()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);

        using var loaded = X509Certificate2.CreateFromPemFile(files.CertificatePem, files.KeyPem);

        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(files.KeyPem), StringComparison.Ordinal);
    }

    [Fact]
    public void Pfx_OpensWithTheWrittenPasswordOnly()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        var password = File.ReadAllText(files.PfxPassword);

        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(files.Pfx, password);

        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.True(password.Length >= 43, "the password should carry 256 random bits");
        Assert.Throws<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(files.Pfx, password + "x"));
        Assert.Throws<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(files.Pfx, null));
    }

    [Fact]
    public void Passwords_DifferBetweenRuns()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        using var certificate = TestCertificates.Create();

        var a = File.ReadAllText(TestCertificates.Write(first.Path, certificate).PfxPassword);
        var b = File.ReadAllText(TestCertificates.Write(second.Path, certificate).PfxPassword);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void ExistingFile_WithoutOverwrite_IsRefusedAndNothingIsWritten()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = CertificateFileSet.InDirectory(directory.Path);
        File.WriteAllText(files.KeyPem, "old key");

        Assert.Throws<IOException>(() => CertificateFileWriter.Write(certificate, files, overwrite: false));

        Assert.Equal("old key", File.ReadAllText(files.KeyPem));
        Assert.Equal([files.KeyPem], CertificateFileWriter.FindExisting(files));
        Assert.Single(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void ExistingFiles_WithOverwrite_AreAllReplaced()
    {
        using var directory = new TempDirectory();
        using var first = TestCertificates.Create();
        using var second = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, first);

        TestCertificates.Write(directory.Path, second, overwrite: true);

        using var pem = X509Certificate2.CreateFromPemFile(files.CertificatePem, files.KeyPem);
        using var pfx = X509CertificateLoader.LoadPkcs12FromFile(files.Pfx, File.ReadAllText(files.PfxPassword));
        Assert.Equal(second.Thumbprint, pem.Thumbprint);
        Assert.Equal(second.Thumbprint, pfx.Thumbprint);
        Assert.Equal(4, Directory.GetFileSystemEntries(directory.Path).Length);
    }

    [Fact]
    public void MissingDirectory_IsCreated()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();

        var files = TestCertificates.Write(Path.Combine(directory.Path, "a", "certs"), certificate);

        Assert.All(files.All, path => Assert.True(File.Exists(path), path));
    }
}
