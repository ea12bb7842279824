namespace OllamaGateway.Server.Commands;

/// <summary>
/// What a command takes from outside the command line: where it writes, the clock, the directory relative paths
/// start from (the server's content root), and the server settings given on its command line. The program passes
/// the console's; tests pass their own writers, a fake clock and a temporary directory.
/// </summary>
internal sealed record CommandContext(TextWriter Output, TextWriter Error, TimeProvider Time, string ContentRoot)
{
    /// <summary>
    /// The <c>--Section:Name=value</c> settings taken off the command line before it is parsed
    /// (see <see cref="ServerSetting"/>); only a <see cref="ConfiguredCommand"/> may be given any.
    /// </summary>
    public IReadOnlyList<ServerSetting> ServerSettings { get; init; } = [];

    /// <summary>The console, the system clock and the current directory, as a user's shell gives them.</summary>
    public static CommandContext ForConsole() =>
        new(Console.Out, Console.Error, TimeProvider.System, Directory.GetCurrentDirectory());
}
