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
    public const string Usage = """
        Usage: Gateway.Server cert create [--host NAME_OR_IP]... [--out DIR] [--days N] [--force]

          --host NAME_OR_IP  A host name or IP address clients use to reach the gateway; repeat for several.
                             Default: localhost, 127.0.0.1 and ::1.
          --out DIR          Where to write gateway.crt.pem, gateway.key.pem, gateway.pfx and gateway.pfx.password.
                             Default: certs
          --days N           Days the certificate stays valid, 1 to 825. Default: 365
          --force            Replace existing files (a running gateway picks up the new certificate by itself).
        """;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error, TimeProvider.System);

    internal static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider timeProvider)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] != "create")
        {
            return BadArguments(error, $"Unknown cert command '{args[0]}'.");
        }

        var hosts = new List<string>();
        var directory = CertificateFileSet.DefaultDirectory;
        var days = SelfSignedCertificateFactory.DefaultValidityDays;
        var force = false;
        for (var i = 1; i < args.Length; i++)
        {
            var (name, inlineValue) = SplitOption(args[i]);
            switch (name)
            {
                case "--force" when inlineValue is null:
                    force = true;
                    break;
                case "--host" or "--out" or "--days":
                    var value = inlineValue ?? (i + 1 < args.Length ? args[++i] : null);
                    if (string.IsNullOrEmpty(value))
                    {
                        return BadArguments(error, $"{name} needs a value.");
                    }

                    if (name == "--host")
                    {
                        var problem = SelfSignedCertificateFactory.CheckHost(value);
                        if (problem is not null)
                        {
                            return BadArguments(error, problem);
                        }

                        if (!hosts.Contains(value, StringComparer.OrdinalIgnoreCase))
                        {
                            hosts.Add(value);
                        }
                    }
                    else if (name == "--out")
                    {
                        directory = value;
                    }
                    else if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out days)
                        || days is < 1 or > SelfSignedCertificateFactory.MaxValidityDays)
                    {
                        return BadArguments(error, $"--days must be a whole number from 1 to {SelfSignedCertificateFactory.MaxValidityDays} (got '{value}').");
                    }

                    break;
                default:
                    return BadArguments(error, $"Unknown option '{args[i]}'.");
            }
        }

        if (hosts.Count == 0)
        {
            hosts.AddRange(SelfSignedCertificateFactory.DefaultHosts);
        }

        var files = CertificateFileSet.InDirectory(directory);
        var existing = CertificateFileWriter.FindExisting(files);
        if (existing.Count > 0 && !force)
        {
            error.WriteLine($"Not overwriting {string.Join(", ", existing)}; pass --force to replace them.");
            return 1;
        }

        using var certificate = SelfSignedCertificateFactory.Create(hosts, days, timeProvider.GetUtcNow());
        try
        {
            CertificateFileWriter.Write(certificate, files, overwrite: force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot write the certificate files: {ex.Message}");
            return 1;
        }

        PrintInstructions(output, certificate, hosts, files);
        return 0;
    }

    private static (string Name, string? Value) SplitOption(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }

    private static int BadArguments(TextWriter error, string problem)
    {
        error.WriteLine(problem);
        error.WriteLine(Usage);
        return 2;
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
