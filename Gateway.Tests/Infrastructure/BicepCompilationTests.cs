using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// infra/ as the Bicep compiler sees it: every file builds and passes the linter with nothing to report, the
/// parameter file fits the template, and the linter configuration really makes leaking a secret an error.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class BicepCompilationTests(BicepWorkspace workspace)
{
    /// <summary>The linter rules about secrets and credentials; each must stop a build, not just warn.</summary>
    public static TheoryData<string> SecurityRules { get; } =
    [
        "outputs-should-not-contain-secrets",
        "secure-parameter-default",
        "secure-params-in-nested-deploy",
        "secure-secrets-in-params",
        "use-secure-value-for-secure-inputs",
        "protect-commandtoexecute-secrets",
        "adminusername-should-not-be-literal",
        "no-hardcoded-env-urls",
    ];

    [Fact]
    public void Infra_HasTheEntryPointItsParametersAndOneModulePerConcern()
    {
        var files = Directory.EnumerateFiles(BicepWorkspace.SourceDirectory, "*.bicep*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(BicepWorkspace.SourceDirectory, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            "main.bicep", "main.bicepparam",
            "modules/fileShares.bicep", "modules/functionApp.bicep", "modules/identity.bicep", "modules/monitoring.bicep",
            "modules/network.bicep", "modules/ollamaAccess.bicep", "modules/plan.bicep", "modules/redis.bicep", "modules/storage.bicep",
        ], files);
    }

    [Fact]
    public async Task EveryBicepFile_BuildsWithoutErrorsOrWarnings()
    {
        using var output = new TempDirectory();
        var result = await BicepCli.RunAsync(workspace.InfraDirectory, "build", "--pattern", "**/*.bicep", "--outdir", output.Path);

        Assert.True(result.ExitCode == 0, result.Tail());
        Assert.Empty(BicepCli.Diagnostics(result));
        Assert.Equal(Directory.GetFiles(workspace.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Length,
            Directory.GetFiles(output.Path, "*.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task EveryBicepFile_PassesTheLinterWithNothingToReport()
    {
        var result = await BicepCli.RunAsync(workspace.InfraDirectory, "lint", "--pattern", "**/*.bicep");

        Assert.True(result.ExitCode == 0, result.Tail());
        Assert.Empty(BicepCli.Diagnostics(result));
    }

    [Fact]
    public async Task ParameterFile_BuildsAgainstTheTemplateAndPassesTheLinter()
    {
        using var output = new TempDirectory();
        var build = await BicepCli.RunAsync(workspace.InfraDirectory, "build-params", "main.bicepparam", "--outfile", output.PathOf("main.parameters.json"));
        var lint = await BicepCli.RunAsync(workspace.InfraDirectory, "lint", "main.bicepparam");

        Assert.True(build.ExitCode == 0, build.Tail());
        Assert.Empty(BicepCli.Diagnostics(build));
        Assert.True(lint.ExitCode == 0, lint.Tail());
        Assert.Empty(BicepCli.Diagnostics(lint));
    }

    [Fact]
    public async Task ParameterFile_SetsEveryParameterOfTheTemplate()
    {
        // "A complete example": a parameter missing from main.bicepparam is a default nobody reviewed. (location is
        // left to the resource group on purpose, and says so in the file.)
        var template = await workspace.MainTemplateAsync();
        var example = File.ReadAllText(Path.Combine(BicepWorkspace.SourceDirectory, "main.bicepparam"));

        var missing = template.Parameters().Select(parameter => parameter.Name)
            .Where(name => name != "location" && !example.Contains($"\nparam {name} = ", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(SecurityRules))]
    public void LinterConfiguration_MakesSecurityRuleAnError(string rule)
    {
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepWorkspace.SourceDirectory, "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement;
        var core = config.GetProperty("analyzers").GetProperty("core");

        Assert.True(core.GetProperty("enabled").GetBoolean());
        Assert.Equal("error", core.GetProperty("rules").GetProperty(rule).GetProperty("level").GetString());
    }

    [Fact]
    public async Task Linter_WithTheRepositoryConfiguration_RefusesATemplateThatOutputsAStorageKey()
    {
        // Proves the configuration has teeth: the same mistake in infra/ would fail `bicep build` and deployment.
        using var directory = new TempDirectory();
        File.Copy(Path.Combine(BicepWorkspace.SourceDirectory, "bicepconfig.json"), directory.PathOf("bicepconfig.json"));
        File.WriteAllText(directory.PathOf("leak.bicep"), """
            resource account 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
              name: 'stleak'
            }

            output key string = account.listKeys().keys[0].value
            """);

        var lint = await BicepCli.RunAsync(directory.Path, "lint", "leak.bicep");
        var build = await BicepCli.RunAsync(directory.Path, "build", "leak.bicep", "--stdout");

        Assert.NotEqual(0, lint.ExitCode);
        Assert.Contains(BicepCli.Diagnostics(lint), line => line.Contains(" : Error outputs-should-not-contain-secrets", StringComparison.Ordinal));
        Assert.NotEqual(0, build.ExitCode);
    }
}
