using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OllamaGateway.Server;

namespace OllamaGateway.Tests.Server.Certificates;

/// <summary>
/// Gateway.Server built as its command line builds it, on 127.0.0.1 with a free port, plus the clients the
/// HTTPS tests need: one that trusts exactly given certificates, and a raw TLS handshake.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);

    private TlsTestServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>Builds the server (throwing start-up errors as <see cref="ServerApp.CreateBuilder"/> does).</summary>
    public static WebApplication Build(string directory, params string[] extraArgs)
    {
        var keysFile = Path.Combine(directory, "keys.json");
        File.WriteAllText(keysFile, """{"keys":["sk-test"]}""");
        string[] args = [$"--Gateway:KeysFile={keysFile}", "--Gateway:OllamaUrl=http://127.0.0.1:1", .. extraArgs];
        var builder = ServerApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        return ServerApp.Build(builder);
    }

    /// <summary>Starts the server; pass <c>--urls https://127.0.0.1:0</c> or Kestrel endpoint settings in <paramref name="extraArgs"/>.</summary>
    public static async Task<TlsTestServer> StartAsync(string directory, params string[] extraArgs)
    {
        var app = Build(directory, extraArgs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TlsTestServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client that trusts these certificates and nothing else: no system roots, no "accept all".</summary>
    public HttpClient CreateClientTrusting(params X509Certificate2[] trusted)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
        policy.CustomTrustStore.AddRange(trusted);
        var handler = new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = policy } };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = s_handshakeTimeout };
    }

    /// <summary>A fresh TLS connection; returns the SHA-256 of the certificate the server presented and the protocol agreed.</summary>
    public async Task<(string Fingerprint, SslProtocols Protocol)> HandshakeAsync(SslProtocols protocols, params X509Certificate2[] trusted)
    {
        using var timeout = new CancellationTokenSource(s_handshakeTimeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, BaseAddress.Port, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
        policy.CustomTrustStore.AddRange(trusted);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = protocols, CertificateChainPolicy = policy },
            timeout.Token);
        return (tls.RemoteCertificate!.GetCertHashString(HashAlgorithmName.SHA256), tls.SslProtocol);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
