using System.CommandLine;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>serve</c>, the default command: runs the gateway until it is stopped. Its arguments go to the host builder as
/// ASP.NET Core reads them: the <c>--Section:Name=value</c> settings, <c>--urls URLS</c> (an option here only so
/// help and completion know it) and whatever else System.CommandLine does not know (<c>--environment NAME</c>).
/// A bad setting ends start-up with one line naming it and exit code 1.
/// </summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    private const string Description =
        "Run the gateway (the default command). Settings come from appsettings.json, environment variables "
        + "(Gateway__OllamaUrl, Gateway__KeysFile, ASPNETCORE_URLS) and --Section:Name VALUE arguments "
        + "(--Gateway:OllamaUrl URL, --Gateway:KeysFile PATH). HTTPS: --Gateway:Tls:CertificatePath PEM "
        + "--Gateway:Tls:KeyPath PEM (or a PFX with --Gateway:Tls:PasswordFile PATH) listens on https://*:8443 "
        + "unless URLs are given.";

    /// <summary>Runs <c>serve</c> with these arguments on the console, as the program does.</summary>
    public static int Run(string[] args) => CommandLine.Run([Name, .. args], CommandContext.ForConsole());

    public static Command Create(CommandContext context)
    {
        // The one host setting with an option of its own, for help and completion; it goes to the host as given.
        var urls = CommandOptions.Valued("--urls", "URLS",
            "Where to listen, such as http://*:8080 (the default) or \"http://127.0.0.1:8080;https://*:8443\".",
            result => result.Tokens[0].Value);
        var command = new ConfiguredCommand(Name, Description)
        {
            // What System.CommandLine does not know is the host's; the root does the same (MakeDefault).
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Add(urls);
        command.SetAction(result =>
        {
            var hostArguments = context.ServerSettings.Select(setting => setting.ToArgument()).ToList();
            if (result.GetValue(urls) is { } value)
            {
                hostArguments.AddRange(["--urls", value]);
            }

            hostArguments.AddRange(result.UnmatchedTokens);
            return Serve([.. hostArguments], context);
        });
        return command;
    }

    /// <summary>Makes <paramref name="serve"/> what the program does when no command is named.</summary>
    public static void MakeDefault(RootCommand root, Command serve)
    {
        foreach (var option in serve.Options)
        {
            root.Add(option);
        }

        root.TreatUnmatchedTokensAsErrors = false;
        root.Action = serve.Action;
    }

    private static int Serve(string[] hostArguments, CommandContext context)
    {
        try
        {
            var builder = ServerApp.CreateBuilder(hostArguments);
            FirstRunKey.EnsureKeyExists(builder.Configuration, builder.Environment.ContentRootPath, context.Output);
            using var app = ServerApp.Build(builder);
            app.Run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                context.Error.WriteLine($"Configuration error: {failure}");
            }

            return 1;
        }
        catch (KeyFileException ex)
        {
            context.Error.WriteLine($"Configuration error (Gateway:KeysFile): {ex.Message}");
            return 1;
        }
        catch (CertificateConfigurationException ex)
        {
            context.Error.WriteLine($"Configuration error: {ex.Message}");
            return 1;
        }
        catch (UsageLedgerException ex)
        {
            context.Error.WriteLine($"Configuration error: {ex.Message}");
            return 1;
        }
    }
}
