using System.CommandLine;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// A command that reads the gateway's configuration the way the server does (<see cref="ServerConfiguration"/>), so
/// it takes the server's <c>--Section:Name=value</c> settings (<see cref="CommandContext.ServerSettings"/>), such as
/// <c>--Gateway:KeysFile=PATH</c>. Every other command refuses them as unknown options.
/// </summary>
internal sealed class ConfiguredCommand(string name, string description) : Command(name, description);
