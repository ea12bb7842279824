namespace OllamaGateway.Server.Commands;

/// <summary>Dispatches the first argument to its command and turns an unknown one into a usage message.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage: Gateway.Server [serve] [--urls URLS] [--Gateway:OllamaUrl URL] [--Gateway:KeysFile PATH]

        Commands:
          serve    Run the gateway (the default). Settings come from appsettings.json, environment variables
                   (Gateway__OllamaUrl, Gateway__KeysFile, ASPNETCORE_URLS) and --Section:Name arguments.
        """;

    public static int Run(string command, string[] rest) => command switch
    {
        "serve" => ServeCommand.Run(rest),
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
