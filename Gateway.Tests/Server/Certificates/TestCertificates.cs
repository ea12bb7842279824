using System.Security.Cryptography.X509Certificates;
using OllamaGateway.Server.Certificates;

namespace OllamaGateway.Tests.Server.Certificates;

/// <summary>Certificates made the way <c>cert create</c> makes them, written into a test's temp directory.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(DateTimeOffset? now = null, int days = 30) =>
        SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, days, now ?? TimeProvider.System.GetUtcNow());

    public static CertificateFileSet Write(string directory, X509Certificate2 certificate, bool overwrite = false)
    {
        var files = CertificateFileSet.InDirectory(directory);
        CertificateFileWriter.Write(certificate, files, overwrite);
        return files;
    }

    public static TlsOptions PemOptions(CertificateFileSet files) => new() { CertificatePath = files.CertificatePem, KeyPath = files.KeyPem };
}
