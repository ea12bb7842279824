using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class HttpsServerTests
{
    private const string Urls = "--urls=https://127.0.0.1:0";

    [Fact]
    public async Task ClientTrustingOnlyTheGatewayCertificate_GetsHealthz()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path, [Urls, .. GatewayTls(files)]);
        using var client = server.CreateClientTrusting(certificate);

        using var response = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, server.BaseAddress.Scheme);
    }

    [Fact]
    public async Task ClientWithDefaultTrust_FailsCertificateValidation()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path, [Urls, .. GatewayTls(files)]);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("healthz"));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task ClientTrustingAnotherCertificate_FailsCertificateValidation()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        using var stranger = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path, [Urls, .. GatewayTls(files)]);
        using var client = server.CreateClientTrusting(stranger);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("healthz"));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Tls12AndTls13_AreAccepted()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path, [Urls, .. GatewayTls(files)]);

        var tls12 = await server.HandshakeAsync(SslProtocols.Tls12, certificate);
        var tls13 = await server.HandshakeAsync(SslProtocols.Tls13, certificate);

        Assert.Equal(SslProtocols.Tls12, tls12.Protocol);
        Assert.Equal(SslProtocols.Tls13, tls13.Protocol);
    }

    [Fact]
    public async Task ClientLimitedToTls11_IsRefused()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path, [Urls, .. GatewayTls(files)]);

        // On Linux, OpenSSL's own security level also refuses TLS 1.1, so this passes there even without
        // ServerTls.Protocols; ServerTlsTests.HttpsDefaults_OfferOnlyTls12And13 pins the setting itself.
#pragma warning disable SYSLIB0039 // TLS 1.1 is obsolete: that is what the server must refuse.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => server.HandshakeAsync(SslProtocols.Tls11, certificate));
#pragma warning restore SYSLIB0039

        Assert.True(error is AuthenticationException or IOException, error.ToString());
    }

    [Fact]
    public async Task ReplacedCertificate_IsServedWithoutRestart()
    {
        using var directory = new TempDirectory();
        using var first = TestCertificates.Create();
        using var second = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, first);
        await using var server = await TlsTestServer.StartAsync(directory.Path, [Urls, .. GatewayTls(files)]);
        var before = await server.HandshakeAsync(SslProtocols.None, first, second);

        TestCertificates.Write(directory.Path, second, overwrite: true);
        var expected = second.GetCertHashString(HashAlgorithmName.SHA256);
        var seen = before.Fingerprint;

        // Bounded polling: the reloader looks at the files at most once per second.
        var deadline = TimeProvider.System.GetTimestamp();
        while (seen != expected && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            seen = (await server.HandshakeAsync(SslProtocols.None, first, second)).Fingerprint;
        }

        Assert.Equal(first.GetCertHashString(HashAlgorithmName.SHA256), before.Fingerprint);
        Assert.Equal(expected, seen);
        using var client = server.CreateClientTrusting(second);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task PfxWithPasswordFile_ServesHttps()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path, Urls,
            $"--Gateway:Tls:CertificatePath={files.Pfx}", $"--Gateway:Tls:PasswordFile={files.PfxPassword}");
        using var client = server.CreateClientTrusting(certificate);

        using var response = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KestrelEndpointSettings_StillServeHttpsWithTls12OrLater()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path,
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={files.CertificatePem}",
            $"--Kestrel:Endpoints:Https:Certificate:KeyPath={files.KeyPem}");
        using var client = server.CreateClientTrusting(certificate);

        using var response = await client.GetAsync("healthz");
#pragma warning disable SYSLIB0039 // TLS 1.1 is obsolete: that is what the server must refuse.
        await Assert.ThrowsAnyAsync<Exception>(() => server.HandshakeAsync(SslProtocols.Tls11, certificate));
#pragma warning restore SYSLIB0039

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KestrelEndpointWithTheCreatedPfx_ServesHttps()
    {
        // Kestrel's own PFX loading stands in for `func start --useHttps --cert`, whose host is Kestrel too.
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        await using var server = await TlsTestServer.StartAsync(directory.Path,
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={files.Pfx}",
            $"--Kestrel:Endpoints:Https:Certificate:Password={File.ReadAllText(files.PfxPassword)}");
        using var client = server.CreateClientTrusting(certificate);

        using var response = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void MissingCertificate_StopsStartupNamingTheSetting()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsTestServer.Build(directory.Path, Urls,
            $"--Gateway:Tls:CertificatePath={directory.PathOf("absent.pem")}", $"--Gateway:Tls:KeyPath={directory.PathOf("absent.key")}"));

        Assert.Equal(TlsOptions.CertificatePathSetting, error.Setting);
    }

    [Fact]
    public void MismatchedKey_StopsStartupNamingTheSetting()
    {
        using var directory = new TempDirectory();
        using var other = new TempDirectory();
        using var certificate = TestCertificates.Create();
        using var stranger = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);
        var strangerFiles = TestCertificates.Write(other.Path, stranger);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsTestServer.Build(directory.Path, Urls,
            $"--Gateway:Tls:CertificatePath={files.CertificatePem}", $"--Gateway:Tls:KeyPath={strangerFiles.KeyPem}"));

        Assert.Equal(TlsOptions.KeyPathSetting, error.Setting);
    }

    [Fact]
    public void GatewayTlsWithKestrelCertificate_IsRefused()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var files = TestCertificates.Write(directory.Path, certificate);

        var error = Assert.Throws<CertificateConfigurationException>(() => TlsTestServer.Build(directory.Path,
            [.. GatewayTls(files), "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0", $"--Kestrel:Endpoints:Https:Certificate:Path={files.Pfx}"]));

        Assert.Equal(TlsOptions.CertificatePathSetting, error.Setting);
        Assert.Contains("Kestrel:Endpoints:Https:Certificate", error.Message, StringComparison.Ordinal);
    }

    private static string[] GatewayTls(CertificateFileSet files) =>
        [$"--Gateway:Tls:CertificatePath={files.CertificatePem}", $"--Gateway:Tls:KeyPath={files.KeyPem}"];
}
