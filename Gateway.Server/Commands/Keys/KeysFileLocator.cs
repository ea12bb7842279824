using Microsoft.Extensions.Configuration;
using OllamaGateway.Configuration;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// Finds the keys file the server would use: <c>Gateway:KeysFile</c> from the same sources, in the same order,
/// as the server's builder (appsettings.json and appsettings.{environment}.json in the content root, environment
/// variables such as <c>Gateway__KeysFile</c>, then <c>--Gateway:KeysFile=PATH</c> arguments), resolved against
/// the content root as the server resolves it. Built by hand rather than with a web application builder, which
/// would also start watching the appsettings files for changes.
/// </summary>
internal static class KeysFileLocator
{
    public static string Locate(KeysArguments arguments, string contentRoot)
    {
        if (arguments.File is not null)
        {
            return Path.GetFullPath(arguments.File, contentRoot);
        }

        var environmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(contentRoot)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine([.. arguments.ConfigurationArguments])
            .Build();
        var file = configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.KeysFile)}"] ?? new GatewayOptions().KeysFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidOperationException("Gateway:KeysFile must name the keys file (default keys.json).");
        }

        return Path.GetFullPath(file, contentRoot);
    }
}
