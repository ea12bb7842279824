using System.Runtime.InteropServices;
using OllamaGateway.Server;

namespace OllamaGateway.Tests.Deployment;

/// <summary>
/// Publishes Gateway.Server once per test class exactly as docs/deployment.md tells users to: Release,
/// self-contained, single file. Build output goes to a temporary artifacts folder, so the repository's own
/// bin/ and obj/ folders are left as they were.
/// </summary>
public sealed class PublishedGateway : IAsyncLifetime
{
    /// <summary>Cold restores of the runtime packs plus a Release build; generous for a 2-core machine.</summary>
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ogw-publish-" + Guid.NewGuid().ToString("N"));

    /// <summary>The executable's name, which is the server's assembly name (plus .exe on Windows).</summary>
    public static string ExecutableName { get; } =
        typeof(ServerApp).Assembly.GetName().Name + (OperatingSystem.IsWindows() ? ".exe" : string.Empty);

    /// <summary>linux-x64 here; the same RID shape for whatever machine runs the tests.</summary>
    public static string RuntimeIdentifier { get; } =
        $"{(OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux")}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";

    public string OutputDirectory => Path.Combine(_root, "out");

    public string ExecutablePath => Path.Combine(OutputDirectory, ExecutableName);

    /// <summary>What <c>dotnet publish</c> printed, for failure messages.</summary>
    internal CommandResult? PublishResult { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        string[] arguments =
        [
            "publish", RepositoryLayout.PathOf("Gateway.Server"),
            "-c", "Release", "-r", RuntimeIdentifier, "--self-contained", "-p:PublishSingleFile=true",
            "-o", OutputDirectory,
            "--artifacts-path", Path.Combine(_root, "artifacts"),
            // No MSBuild or compiler server left running after the test.
            "--disable-build-servers",
            "-nologo",
        ];

        // `dotnet test` hands its MSBuild location to the test host; a nested build must find its own.
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, _ => (string?)null);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        PublishResult = await CommandRunner.RunAsync(dotnet, arguments, RepositoryLayout.Root, s_publishTimeout, environment);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // An executable still being torn down; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    /// <summary>Fails the calling test with the publish output unless the publish succeeded.</summary>
    public void AssertPublished()
    {
        Assert.True(PublishResult is { ExitCode: 0 } && File.Exists(ExecutablePath),
            $"dotnet publish failed (exit {PublishResult?.ExitCode}):\n{PublishResult?.Tail()}");
    }

    /// <summary>
    /// Copies only the executable into a new folder, as an installation into /opt/ollama-gateway would, so a
    /// test proves that nothing else from the publish folder is needed.
    /// </summary>
    public string InstallInto(string directory)
    {
        AssertPublished();
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, ExecutableName);
        File.Copy(ExecutablePath, target, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, File.GetUnixFileMode(ExecutablePath));
        }

        return target;
    }
}
