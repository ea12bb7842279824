using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class CertCommandTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Fact]
    public void Create_WritesTheFilesAndPrintsFingerprintAndTrustInstructions()
    {
        using var directory = new TempDirectory();
        var outDirectory = directory.PathOf("certs");

        var exitCode = CertCommand.Run(["create", "--out", outDirectory], _output, _error, _time);

        Assert.Equal(0, exitCode);
        var files = CertificateFileSet.InDirectory(outDirectory);
        Assert.All(files.All, path => Assert.True(File.Exists(path), path));
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(files.CertificatePem);
        var text = _output.ToString();
        Assert.Contains(SelfSignedCertificateFactory.FormatFingerprint(certificate), text, StringComparison.Ordinal);
        Assert.Contains($"--cacert {files.CertificatePem}", text, StringComparison.Ordinal);
        Assert.Contains($"httpx.Client(verify=\"{files.CertificatePem}\")", text, StringComparison.Ordinal);
        Assert.Contains("X509ChainTrustMode.CustomRootTrust", text, StringComparison.Ordinal);
        Assert.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256), text, StringComparison.Ordinal);
        Assert.Contains($"func start --useHttps --cert {files.Pfx} --password \"$(cat {files.PfxPassword})\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(files.PfxPassword), text, StringComparison.Ordinal);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void Create_UsesTheGivenHostsDaysAndClock()
    {
        using var directory = new TempDirectory();

        var exitCode = CertCommand.Run(
            ["create", "--out", directory.Path, "--host", "gw.example.lan", "--host=10.0.0.5", "--days=90"], _output, _error, _time);

        Assert.Equal(0, exitCode);
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(CertificateFileSet.InDirectory(directory.Path).CertificatePem);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["gw.example.lan"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.0.5")], names.EnumerateIPAddresses());
        Assert.Equal(_time.GetUtcNow().AddDays(90), new DateTimeOffset(certificate.NotAfter));
    }

    [Fact]
    public void ExistingFiles_WithoutForce_Exit1AndStayUnchanged()
    {
        using var directory = new TempDirectory();
        Assert.Equal(0, CertCommand.Run(["create", "--out", directory.Path], _output, _error, _time));
        var files = CertificateFileSet.InDirectory(directory.Path);
        var before = File.ReadAllBytes(files.CertificatePem);

        var exitCode = CertCommand.Run(["create", "--out", directory.Path], _output, _error, _time);

        Assert.Equal(1, exitCode);
        Assert.Equal(before, File.ReadAllBytes(files.CertificatePem));
        Assert.Contains("--force", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExistingFiles_WithForce_AreReplaced()
    {
        using var directory = new TempDirectory();
        Assert.Equal(0, CertCommand.Run(["create", "--out", directory.Path], _output, _error, _time));
        var files = CertificateFileSet.InDirectory(directory.Path);
        var before = File.ReadAllBytes(files.CertificatePem);

        var exitCode = CertCommand.Run(["create", "--out", directory.Path, "--force"], _output, _error, _time);

        Assert.Equal(0, exitCode);
        Assert.NotEqual(before, File.ReadAllBytes(files.CertificatePem));
    }

    [Theory]
    [InlineData("--days", "0")]
    [InlineData("--days", "826")]
    [InlineData("--days", "a year")]
    [InlineData("--days")]
    [InlineData("--host", "1.2.3")]
    [InlineData("--host", "localhost:8443")]
    [InlineData("--host")]
    [InlineData("--bogus")]
    [InlineData("--force=yes")]
    [InlineData("extra")]
    public void BadArguments_Exit2WithAMessageAndWriteNothing(params string[] bad)
    {
        using var directory = new TempDirectory();

        var exitCode = CertCommand.Run(["create", "--out", directory.Path, .. bad], _output, _error, _time);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage:", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
        Assert.Empty(_output.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("destroy")]
    public void MissingOrUnknownSubcommand_Exit2(params string[] args)
    {
        Assert.Equal(2, CertCommand.Run(args, _output, _error, _time));
        Assert.Contains("cert create", _error.ToString(), StringComparison.Ordinal);
    }
}
