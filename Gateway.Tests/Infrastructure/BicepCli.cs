using System.Reflection;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// The Bicep compiler from the Azure.Bicep.CommandLine.linux-x64 package, which the test project restores like any
/// other package: the real compiler with Azure's resource types built in, so nothing is fetched at test time.
/// </summary>
internal static class BicepCli
{
    private const string MetadataKey = "BicepExecutable";

    /// <summary>Builds and snapshots take a second or two; this only catches a hung process.</summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    /// <summary>The executable, made executable if the package cache lost the bit (NuGet does not keep file modes).</summary>
    public static string ExecutablePath { get; } = Locate();

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static Task<CommandResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        CommandRunner.RunAsync(ExecutablePath, arguments, workingDirectory, s_timeout, environment);

    /// <summary>Runs <c>bicep</c> with the caller's environment.</summary>
    public static Task<CommandResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

    /// <summary>
    /// The diagnostics in Bicep's output (<c>file(line,col) : Warning|Error code: message</c>). Bicep exits with 0 on
    /// warnings, so callers check this list as well as the exit code.
    /// </summary>
    public static IReadOnlyList<string> Diagnostics(CommandResult result) =>
        [.. result.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal) || line.Contains(" : Error ", StringComparison.Ordinal) || line.Contains(" : Info ", StringComparison.Ordinal))];

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == MetadataKey)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep compiler was not found at '{path}'. It comes from the Azure.Bicep.CommandLine.linux-x64 package that Gateway.Tests.csproj references; run `dotnet restore`.");
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | Execute);
            }
        }

        return path;
    }
}
