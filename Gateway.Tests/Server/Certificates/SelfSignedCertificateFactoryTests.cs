using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OllamaGateway.Server.Certificates;

namespace OllamaGateway.Tests.Server.Certificates;

public sealed class SelfSignedCertificateFactoryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DefaultHosts_BecomeDnsAndIpSubjectAlternativeNames()
    {
        using var certificate = SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, 365, s_now);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
    }

    [Fact]
    public void GivenHosts_AreEachInTheRightKindOfName()
    {
        using var certificate = SelfSignedCertificateFactory.Create(["gw.example.lan", "10.0.0.5", "fd00::5", "*.apps.example.lan"], 30, s_now);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(["gw.example.lan", "*.apps.example.lan"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5")], names.EnumerateIPAddresses());
        Assert.True(certificate.MatchesHostname("gw.example.lan"));
        Assert.True(certificate.MatchesHostname("10.0.0.5"));
        Assert.False(certificate.MatchesHostname("localhost"));
    }

    [Fact]
    public void Certificate_IsAnEcdsaServerLeafThatIsNotACa()
    {
        using var certificate = SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, 365, s_now);

        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.False(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        var extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], extended.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value));
        var subjectKeyId = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        var authorityKeyId = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Equal(subjectKeyId.SubjectKeyIdentifierBytes.ToArray(), authorityKeyId.KeyIdentifier!.Value.ToArray());
        using var key = certificate.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        Assert.Equal(certificate.SubjectName.Name, certificate.IssuerName.Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(365)]
    [InlineData(825)]
    public void Validity_RunsFromADayBeforeNowToTheGivenDays(int days)
    {
        using var certificate = SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, days, s_now);

        Assert.Equal(s_now.AddDays(-1), new DateTimeOffset(certificate.NotBefore));
        Assert.Equal(s_now.AddDays(days), new DateTimeOffset(certificate.NotAfter));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(826)]
    public void ValidityOutsideOneTo825Days_IsRefused(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, days, s_now));
    }

    [Fact]
    public void PrivateKey_MatchesTheCertificate()
    {
        using var certificate = SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, 30, s_now);
        using var privateKey = certificate.GetECDsaPrivateKey();
        using var publicKey = certificate.GetECDsaPublicKey();
        var data = "handshake"u8.ToArray();

        var signature = privateKey!.SignData(data, HashAlgorithmName.SHA256);

        Assert.True(publicKey!.VerifyData(data, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void CustomTrust_AcceptsTheCertificateAsItsOwnAnchorForServers()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, 30, now);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;

        var built = chain.Build(certificate);

        Assert.True(built, string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation)));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("gw.example.lan")]
    [InlineData("*.example.lan")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    public void UsableHosts_AreAccepted(string host)
    {
        Assert.Null(SelfSignedCertificateFactory.CheckHost(host));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("10")]
    [InlineData("[::1]")]
    [InlineData("fe80::1%eth0")]
    [InlineData("localhost:8443")]
    [InlineData("*")]
    [InlineData("*.lan")]
    [InlineData("a.*.lan")]
    [InlineData("bad host")]
    [InlineData("bücher.example")]
    [InlineData("https://localhost")]
    public void UnusableHosts_AreRefusedWithAReason(string host)
    {
        var problem = SelfSignedCertificateFactory.CheckHost(host);

        Assert.NotNull(problem);
        Assert.Throws<ArgumentException>(() => SelfSignedCertificateFactory.Create([host], 30, s_now));
    }

    [Fact]
    public void Fingerprint_IsColonSeparatedSha256()
    {
        using var certificate = SelfSignedCertificateFactory.Create(SelfSignedCertificateFactory.DefaultHosts, 30, s_now);

        var fingerprint = SelfSignedCertificateFactory.FormatFingerprint(certificate);

        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), fingerprint.Replace(":", "", StringComparison.Ordinal));
        Assert.Equal(32, fingerprint.Split(':').Length);
    }
}
