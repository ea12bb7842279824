using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Server.Certificates;

namespace OllamaGateway.Server.Commands;

/// <summary>Runs the gateway until it is stopped. A bad setting ends start-up with one line naming it and exit code 1.</summary>
internal static class ServeCommand
{
    public static int Run(string[] args)
    {
        try
        {
            var builder = ServerApp.CreateBuilder(args);
            FirstRunKey.EnsureKeyExists(builder.Configuration, builder.Environment.ContentRootPath, Console.Out);
            using var app = ServerApp.Build(builder);
            app.Run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                Console.Error.WriteLine($"Configuration error: {failure}");
            }

            return 1;
        }
        catch (KeyFileException ex)
        {
            Console.Error.WriteLine($"Configuration error (Gateway:KeysFile): {ex.Message}");
            return 1;
        }
        catch (CertificateConfigurationException ex)
        {
            Console.Error.WriteLine($"Configuration error: {ex.Message}");
            return 1;
        }
    }
}
