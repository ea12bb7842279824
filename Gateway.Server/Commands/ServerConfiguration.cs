using Microsoft.Extensions.Configuration;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// The gateway's configuration as the server would read it, for commands that act on its files without starting
/// it: appsettings.json and appsettings.{environment}.json in the content root, environment variables (such as
/// <c>Gateway__KeysFile</c>), then the command line's <c>--Section:Name=value</c> settings, in the server's order.
/// Built by hand rather than with a web application builder, which would also start watching the files for changes.
/// A broken appsettings file throws (<see cref="InvalidDataException"/> or <see cref="FormatException"/>).
/// </summary>
internal static class ServerConfiguration
{
    public static IConfiguration Read(CommandContext context)
    {
        var environmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(context.ContentRoot)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine([.. context.ServerSettings.Select(setting => setting.ToArgument())])
            .Build();
    }
}
