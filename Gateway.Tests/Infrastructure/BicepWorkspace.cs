using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// A copy of infra/ in a temporary folder, where the Bicep compiler may write what it produces (compiled templates,
/// snapshots) without touching the repository. Compiles and snapshots once per parameter set and caches the result.
/// </summary>
public sealed partial class BicepWorkspace : IDisposable
{
    /// <summary>The deployment target the snapshots pretend to deploy to.</summary>
    internal const string SubscriptionId = "00000000-0000-0000-0000-000000000001";

    internal const string ResourceGroup = "rg-gateway";

    internal const string Location = "westeurope";

    /// <summary>Values every scenario needs (the parameters main.bicep has no default for).</summary>
    internal const string RequiredParameters = """
        param environmentName = 'test'
        param ollamaPrivateAddress = '10.20.3.4'
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ogw-infra-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<string, Lazy<Task<DeploymentSnapshot>>> _snapshots = new();
    private readonly Lazy<Task<ArmTemplate>> _template;
    private int _scenarios;

    public BicepWorkspace()
    {
        CopyDirectory(RepositoryLayout.PathOf("infra"), InfraDirectory);
        _template = new(BuildMainAsync);
    }

    /// <summary>The repository's infra folder.</summary>
    internal static string SourceDirectory => RepositoryLayout.PathOf("infra");

    /// <summary>The copy the compiler works in.</summary>
    internal string InfraDirectory => Path.Combine(_root, "infra");

    /// <summary>main.bicep compiled to an ARM template.</summary>
    internal Task<ArmTemplate> MainTemplateAsync() => _template.Value;

    /// <summary>What deploying main.bicep with the repository's main.bicepparam would create.</summary>
    internal Task<DeploymentSnapshot> ExampleSnapshotAsync() =>
        SnapshotAsync(File.ReadAllText(Path.Combine(SourceDirectory, "main.bicepparam")), isExample: true);

    /// <summary>What deploying main.bicep with <see cref="RequiredParameters"/> and <paramref name="parameters"/> would create.</summary>
    internal Task<DeploymentSnapshot> ScenarioSnapshotAsync(string parameters = "") =>
        SnapshotAsync($"using 'main.bicep'\n{RequiredParameters}\n{parameters}\n", isExample: false);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp folder.
        }
    }

    private Task<DeploymentSnapshot> SnapshotAsync(string parameterFile, bool isExample) =>
        _snapshots.GetOrAdd(parameterFile, text => new Lazy<Task<DeploymentSnapshot>>(() => RunSnapshotAsync(text, isExample))).Value;

    private async Task<DeploymentSnapshot> RunSnapshotAsync(string parameterFile, bool isExample)
    {
        var name = isExample ? "main" : $"scenario{Interlocked.Increment(ref _scenarios)}";
        await File.WriteAllTextAsync(Path.Combine(InfraDirectory, name + ".bicepparam"), parameterFile);

        // readEnvironmentVariable() in the parameter file must see its defaults, not whatever this machine has set.
        var environment = EnvironmentVariableRead().Matches(parameterFile)
            .Select(match => match.Groups["name"].Value).Distinct(StringComparer.Ordinal)
            .ToDictionary(variable => variable, _ => (string?)null);
        var result = await BicepCli.RunAsync(InfraDirectory, environment,
            "snapshot", name + ".bicepparam", "--mode", "overwrite",
            "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup, "--location", Location);
        var snapshotPath = Path.Combine(InfraDirectory, name + ".snapshot.json");
        Assert.True(result.ExitCode == 0 && File.Exists(snapshotPath), $"bicep snapshot failed (exit {result.ExitCode}):\n{result.Tail()}\n{parameterFile}");

        var snapshot = DeploymentSnapshot.Parse(await File.ReadAllTextAsync(snapshotPath));
        Assert.Empty(snapshot.Diagnostics);
        return snapshot;
    }

    private async Task<ArmTemplate> BuildMainAsync()
    {
        var output = Path.Combine(_root, "compiled", "main.json");
        var result = await BicepCli.RunAsync(InfraDirectory, "build", "main.bicep", "--outfile", output);
        Assert.True(result.ExitCode == 0 && File.Exists(output), $"bicep build failed (exit {result.ExitCode}):\n{result.Tail()}");
        return ArmTemplate.Parse(await File.ReadAllTextAsync(output));
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }

    [GeneratedRegex(@"readEnvironmentVariable\('(?<name>[^']+)'")]
    private static partial Regex EnvironmentVariableRead();
}
