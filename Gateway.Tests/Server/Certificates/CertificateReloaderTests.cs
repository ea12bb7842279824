using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class CertificateReloaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly RecordingLogger<CertificateReloader> _logger = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ReplacedFiles_AreServedAfterTheCheckIntervalAndNotBefore()
    {
        using var first = TestCertificates.Create();
        using var second = TestCertificates.Create();
        var reloader = CreateReloader(first, out _);

        TestCertificates.Write(_directory.Path, second, overwrite: true);
        var beforeInterval = reloader.GetCertificate();
        _time.Advance(CertificateReloader.CheckInterval);
        var afterInterval = reloader.GetCertificate();

        Assert.Equal(first.Thumbprint, beforeInterval.Thumbprint);
        Assert.Equal(second.Thumbprint, afterInterval.Thumbprint);
        Assert.Contains(_logger.Entries, entry => entry.EventId.Id == 6001 && entry.Level == LogLevel.Information);
    }

    [Fact]
    public void UnchangedFiles_KeepTheSameCertificateWithoutLogging()
    {
        using var first = TestCertificates.Create();
        var reloader = CreateReloader(first, out _);

        _time.Advance(TimeSpan.FromSeconds(5));
        var served = reloader.GetCertificate();

        Assert.Equal(first.Thumbprint, served.Thumbprint);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public void BadReplacement_KeepsTheLastGoodCertificateAndLogsOneError()
    {
        using var first = TestCertificates.Create();
        using var second = TestCertificates.Create();
        var reloader = CreateReloader(first, out var files);
        File.WriteAllText(files.KeyPem, "half-copied");

        _time.Advance(CertificateReloader.CheckInterval);
        var afterBadKey = reloader.GetCertificate();
        _time.Advance(CertificateReloader.CheckInterval);
        reloader.GetCertificate();

        Assert.Equal(first.Thumbprint, afterBadKey.Thumbprint);
        var error = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal(6002, error.EventId.Id);
        Assert.Contains(TlsOptions.KeyPathSetting, error.Message, StringComparison.Ordinal);

        // Once the files are good again they are picked up.
        TestCertificates.Write(_directory.Path, second, overwrite: true);
        _time.Advance(CertificateReloader.CheckInterval);
        Assert.Equal(second.Thumbprint, reloader.GetCertificate().Thumbprint);
    }

    [Fact]
    public void ExpiredReplacement_KeepsTheLastGoodCertificate()
    {
        using var first = TestCertificates.Create();
        using var expired = TestCertificates.Create(TimeProvider.System.GetUtcNow().AddDays(-60), days: 30);
        var reloader = CreateReloader(first, out _);

        TestCertificates.Write(_directory.Path, expired, overwrite: true);
        _time.Advance(CertificateReloader.CheckInterval);

        Assert.Equal(first.Thumbprint, reloader.GetCertificate().Thumbprint);
        Assert.Contains(_logger.Entries, entry => entry.EventId.Id == 6002 && entry.Message.Contains("expired", StringComparison.Ordinal));
    }

    private CertificateReloader CreateReloader(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, out CertificateFileSet files)
    {
        files = TestCertificates.Write(_directory.Path, certificate);
        var options = TestCertificates.PemOptions(files);
        return new CertificateReloader(options, TlsCertificateLoader.Load(options, _time.GetUtcNow()), _time, _logger);
    }
}
