using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Server.Tls;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class ServerTlsTests
{
    [Fact]
    public void HttpsDefaults_OfferOnlyTls12And13()
    {
        var https = new HttpsConnectionAdapterOptions();

        ServerTls.ConfigureHttps(https, reloader: null);

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, https.SslProtocols);
        Assert.Null(https.ServerCertificateSelector);
    }

    [Fact]
    public void HttpsDefaults_WithGatewayTls_SelectTheReloadersCertificate()
    {
        using var directory = new TempDirectory();
        using var certificate = TestCertificates.Create();
        var options = TestCertificates.PemOptions(TestCertificates.Write(directory.Path, certificate));
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var reloader = new CertificateReloader(options, TlsCertificateLoader.Load(options, time.GetUtcNow()), time, new RecordingLogger<CertificateReloader>());
        var https = new HttpsConnectionAdapterOptions();

        ServerTls.ConfigureHttps(https, reloader);

        Assert.Equal(certificate.Thumbprint, https.ServerCertificateSelector!(null, null)!.Thumbprint);
    }

    [Fact]
    public void NoGatewayTls_KeepsThePlainDefault()
    {
        Assert.Null(ServerTls.DefaultUrls(Configuration(), "/srv"));
    }

    [Fact]
    public void GatewayTls_ListensHttpsOn8443Only()
    {
        Assert.Equal("https://*:8443", ServerTls.DefaultUrls(Configuration(("Gateway:Tls:CertificatePath", "c.pem")), "/srv"));
    }

    [Fact]
    public void GatewayTlsWithPorts_ListensOnThoseAndHttpToo()
    {
        var urls = ServerTls.DefaultUrls(
            Configuration(("Gateway:Tls:CertificatePath", "c.pem"), ("Gateway:Tls:HttpsPort", "9443"), ("Gateway:Tls:HttpPort", "8080")), "/srv");

        Assert.Equal("https://*:9443;http://*:8080", urls);
    }

    [Fact]
    public void RelativePaths_AreResolvedAgainstTheContentRoot()
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "root"));

        var options = TlsOptions.FromConfiguration(
            Configuration(("Gateway:Tls:CertificatePath", "certs/c.pem"), ("Gateway:Tls:KeyPath", "certs/k.pem"), ("Gateway:Tls:PasswordFile", "p")), root);

        Assert.Equal(Path.Combine(root, "certs", "c.pem"), options.CertificatePath);
        Assert.Equal(Path.Combine(root, "certs", "k.pem"), options.KeyPath);
        Assert.Equal(Path.Combine(root, "p"), options.PasswordFile);
    }

    [Theory]
    [InlineData("Gateway:Tls:KeyPath", "k.pem", "Gateway:Tls:CertificatePath")]
    [InlineData("Gateway:Tls:PasswordFile", "p", "Gateway:Tls:CertificatePath")]
    [InlineData("Gateway:Tls:HttpPort", "8080", "Gateway:Tls:CertificatePath")]
    public void SettingWithoutCertificate_NamesCertificatePath(string setting, string value, string expected)
    {
        var error = Assert.Throws<CertificateConfigurationException>(() => TlsOptions.FromConfiguration(Configuration((setting, value)), "/srv"));

        Assert.Equal(expected, error.Setting);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:Tls:HttpPort", "http")]
    [InlineData("Gateway:Tls:HttpPort", "0")]
    [InlineData("Gateway:Tls:HttpsPort", "65536")]
    [InlineData("Gateway:Tls:HttpsPort", "-1")]
    public void BadPort_NamesItsSetting(string setting, string value)
    {
        var error = Assert.Throws<CertificateConfigurationException>(() =>
            TlsOptions.FromConfiguration(Configuration(("Gateway:Tls:CertificatePath", "c.pem"), (setting, value)), "/srv"));

        Assert.Equal(setting, error.Setting);
    }

    [Fact]
    public void PasswordAndPasswordFile_AreRefusedTogether()
    {
        var error = Assert.Throws<CertificateConfigurationException>(() => TlsOptions.FromConfiguration(
            Configuration(("Gateway:Tls:CertificatePath", "c.pfx"), ("Gateway:Tls:Password", "x"), ("Gateway:Tls:PasswordFile", "p")), "/srv"));

        Assert.Equal(TlsOptions.PasswordFileSetting, error.Setting);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
