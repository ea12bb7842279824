namespace OllamaGateway.Server.Commands;

/// <summary>Dispatches the first argument to its command and turns an unknown one into a usage message.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage: Gateway.Server [serve] [--urls URLS] [--Gateway:OllamaUrl URL] [--Gateway:KeysFile PATH]
               Gateway.Server cert create [--host NAME_OR_IP]... [--out DIR] [--days N] [--force]
               Gateway.Server keys create|list|revoke|hash [options]

        Commands:
          serve    Run the gateway (the default). Settings come from appsettings.json, environment variables
                   (Gateway__OllamaUrl, Gateway__KeysFile, ASPNETCORE_URLS) and --Section:Name arguments.
                   HTTPS: --Gateway:Tls:CertificatePath PEM --Gateway:Tls:KeyPath PEM (or a PFX with
                   --Gateway:Tls:PasswordFile PATH) listens on https://*:8443 unless URLs are given.
          cert     'cert create' makes a self-signed certificate and shows how clients trust it.
          keys     Manage API keys in the keys file: 'keys create --name NAME' makes one and prints it once,
                   'keys list', 'keys revoke NAME', 'keys hash' (store plain-text keys as hashes).
                   'keys help' shows every option.
        """;

    public static int Run(string command, string[] rest) => command switch
    {
        "serve" => ServeCommand.Run(rest),
        "cert" => CertCommand.Run(rest),
        "keys" => KeysCommand.Run(rest),
        "help" => PrintUsage(Console.Out, 0),
        _ => PrintUsage(Console.Error, 2, $"Unknown command '{command}'."),
    };

    private static int PrintUsage(TextWriter writer, int exitCode, string? problem = null)
    {
        if (problem is not null)
        {
            writer.WriteLine(problem);
        }

        writer.WriteLine(Usage);
        return exitCode;
    }
}
