using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// Gateway.Functions published the way `azd deploy` publishes a dotnet function service (dotnet publish, Release):
/// the package the template's function app runs. Build output goes to a temporary folder.
/// </summary>
public sealed class PublishedFunctionsApp : IAsyncLifetime
{
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ogw-functions-publish-" + Guid.NewGuid().ToString("N"));

    public string OutputDirectory => Path.Combine(_root, "out");

    internal CommandResult? PublishResult { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        string[] arguments =
        [
            "publish", RepositoryLayout.PathOf("Gateway.Functions"),
            "-c", "Release",
            "-o", OutputDirectory,
            "--artifacts-path", Path.Combine(_root, "artifacts"),
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
            // The OS cleans its temp folder.
        }

        return Task.CompletedTask;
    }

    /// <summary>The path of a published file, failing the test with the publish output unless the publish succeeded.</summary>
    public string PathOf(string file)
    {
        Assert.True(PublishResult is { ExitCode: 0 }, $"dotnet publish failed (exit {PublishResult?.ExitCode}):\n{PublishResult?.Tail()}");
        return Path.Combine(OutputDirectory, file);
    }
}
