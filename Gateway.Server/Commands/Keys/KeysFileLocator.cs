using OllamaGateway.Configuration;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// Finds the keys file: <c>--file</c> when given, otherwise the server's <c>Gateway:KeysFile</c> from the same
/// sources, in the same order, as the server (<see cref="ServerConfiguration"/>), resolved against the content root
/// as the server resolves it.
/// </summary>
internal static class KeysFileLocator
{
    public static string Locate(string? file, CommandContext context)
    {
        if (file is not null)
        {
            return Path.GetFullPath(file, context.ContentRoot);
        }

        var configured = ServerConfiguration.Read(context)[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.KeysFile)}"]
            ?? new GatewayOptions().KeysFile;
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException("Gateway:KeysFile must name the keys file (default keys.json).");
        }

        return Path.GetFullPath(configured, context.ContentRoot);
    }
}
