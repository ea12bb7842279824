using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OllamaGateway.Server.Certificates;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>cert create</c>: makes a self-signed certificate for the gateway and tells the user how clients trust it
/// (by pinning this certificate, never by turning verification off as the seed's examples did).
/// Exit codes: 0 done, 1 files exist or cannot be written, 2 bad arguments.
/// </summary>
internal static class CertCommand
{
    public const string Name = "cert";

    /// <summary>Runs <c>cert</c> with these arguments (those after the word <c>cert</c>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider timeProvider) =>
        CommandLine.Run([Name, .. args], new CommandContext(output, error, timeProvider, Directory.GetCurrentDirectory()));

    public static Command Create(CommandContext context)
    {
        var hosts = CommandOptions.Valued("--host", "NAME_OR_IP",
            "A host name or IP address clients use to reach the gateway; repeat for several. "
            + "Default: localhost, 127.0.0.1 and ::1.",
            Hosts);
        var directory = CommandOptions.Valued("--out", "DIR",
            "Where to write gateway.crt.pem, gateway.key.pem, gateway.pfx and gateway.pfx.password.",
            result => result.Tokens[0].Value);
        directory.DefaultValueFactory = _ => CertificateFileSet.DefaultDirectory;
        var days = CommandOptions.Valued("--days", "N",
            $"Days the certificate stays valid, 1 to {SelfSignedCertificateFactory.MaxValidityDays}.",
            result => (int)(CommandOptions.WholeNumber(result, "--days", 1, SelfSignedCertificateFactory.MaxValidityDays) ?? 0));
        days.DefaultValueFactory = _ => SelfSignedCertificateFactory.DefaultValidityDays;
        var force = CommandOptions.Flag("--force",
            "Replace existing files (a running gateway picks up the new certificate by itself).");

        var create = new Command("create", "Make a self-signed certificate and show how clients trust it.")
        {
            hosts, directory, days, force,
        };
        create.SetAction(result => MakeCertificate(
            result.GetValue(hosts) is { Count: > 0 } names ? names : [.. SelfSignedCertificateFactory.DefaultHosts],
            result.GetRequiredValue(directory), result.GetValue(days), result.GetValue(force), context));

        return new Command(Name, "Make the certificate the gateway serves HTTPS with.") { create, HelpCommand.Create() };
    }

    private static List<string> Hosts(ArgumentResult result)
    {
        var hosts = new List<string>();
        foreach (var host in result.Tokens.Select(token => token.Value))
        {
            if (SelfSignedCertificateFactory.CheckHost(host) is { } problem)
            {
                result.AddError(problem);
                return [];
            }

            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    private static int MakeCertificate(IReadOnlyList<string> hosts, string directory, int days, bool force, CommandContext context)
    {
        var files = CertificateFileSet.InDirectory(directory);
        var existing = CertificateFileWriter.FindExisting(files);
        if (existing.Count > 0 && !force)
        {
            context.Error.WriteLine($"Not overwriting {string.Join(", ", existing)}; pass --force to replace them.");
            return 1;
        }

        using var certificate = SelfSignedCertificateFactory.Create(hosts, days, context.Time.GetUtcNow());
        try
        {
            CertificateFileWriter.Write(certificate, files, overwrite: force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"Cannot write the certificate files: {ex.Message}");
            return 1;
        }

        PrintInstructions(context.Output, certificate, hosts, files);
        return 0;
    }
    private static void PrintInstructions(TextWriter output, X509Certificate2 certificate,
        IReadOnlyList<string> hosts, CertificateFileSet files)
    {
        var host = hosts[0].Contains(':', StringComparison.Ordinal) ? $"[{hosts[0]}]" : hosts[0];
        var url = $"https://{host}:{TlsOptions.DefaultHttpsPort}";
        var hex = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        output.WriteLine($$"""
            Created a self-signed ECDSA P-256 certificate for {{string.Join(", ", hosts)}},
            valid until {{certificate.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}}.
              {{files.CertificatePem}}   certificate: give this file to clients
              {{files.KeyPem}}   private key (PKCS#8 PEM, readable by you only)
              {{files.Pfx}}   certificate and key as PKCS#12 (readable by you only)
              {{files.PfxPassword}}   the PFX password (readable by you only)

            SHA-256 fingerprint: {{SelfSignedCertificateFactory.FormatFingerprint(certificate)}}

            Serve HTTPS with it (listens on https://*:{{TlsOptions.DefaultHttpsPort}} unless URLs are configured):
              Gateway.Server --Gateway:Tls:CertificatePath {{files.CertificatePem}} --Gateway:Tls:KeyPath {{files.KeyPem}}
              func start --useHttps --cert {{files.Pfx}} --password "$(cat {{files.PfxPassword}})"

            Make clients trust exactly this certificate (do not turn verification off):
              curl:    curl --cacert {{files.CertificatePem}} {{url}}/healthz
              Python:  OpenAI(base_url="{{url}}/v1", api_key=KEY,
                              http_client=httpx.Client(verify="{{files.CertificatePem}}"))
              .NET:    new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = new X509ChainPolicy {
                           TrustMode = X509ChainTrustMode.CustomRootTrust,
                           CustomTrustStore = { X509CertificateLoader.LoadCertificateFromFile("{{files.CertificatePem}}") } } } }
                       or pin it: HttpClientHandler.ServerCertificateCustomValidationCallback =
                           (_, cert, _, _) => cert?.GetCertHashString(HashAlgorithmName.SHA256) == "{{hex}}"
            A client trusts only this certificate: after 'cert create --force', give clients the new file.
            """);
    }
}
