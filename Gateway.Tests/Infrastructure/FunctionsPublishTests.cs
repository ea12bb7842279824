using System.Text.Json;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// The package the template deploys is the app the other tests check: the same functions.metadata the Functions
/// tests read from the build output, the repository's host.json, no keys, and the .NET version the template declares.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class FunctionsPublishTests(PublishedFunctionsApp published, BicepWorkspace workspace)
    : IClassFixture<PublishedFunctionsApp>
{
    private static readonly string s_functionsBuildOutput = AppContext.BaseDirectory.Replace(
        $"{Path.DirectorySeparatorChar}Gateway.Tests{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}Gateway.Functions{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [Fact]
    public void Package_DeclaresTheSameFunctionsAsTheBuildTheFunctionsTestsCheck()
    {
        var inPackage = FunctionRoutes(File.ReadAllText(published.PathOf("functions.metadata")));
        var inBuild = FunctionRoutes(File.ReadAllText(Path.Combine(s_functionsBuildOutput, "functions.metadata")));

        Assert.NotEmpty(inPackage);
        Assert.Equal(inBuild, inPackage);
    }

    [Fact]
    public void Package_CarriesTheRepositorysHostJson()
    {
        Assert.Equal(File.ReadAllText(RepositoryLayout.PathOf("host.json")), File.ReadAllText(published.PathOf("host.json")));
    }

    [Fact]
    public void Package_HasTheIsolatedWorkerEntryPoint()
    {
        var worker = JsonDocument.Parse(File.ReadAllText(published.PathOf("worker.config.json"))).RootElement.GetProperty("description");

        Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
        Assert.True(File.Exists(published.PathOf(worker.GetProperty("defaultWorkerPath").GetString()!)));
    }

    [Fact]
    public void Package_CarriesNoKeysAndNoLocalSettings()
    {
        // Keys live on the mounted share (Gateway__KeysFile); a keys.json in the package would be a second, stale source.
        Assert.False(File.Exists(published.PathOf("keys.json")));
        Assert.False(File.Exists(published.PathOf("local.settings.json")));
    }

    [Fact]
    public async Task Package_TargetsTheDotnetVersionTheTemplateRuns()
    {
        var runtimeConfig = JsonDocument.Parse(File.ReadAllText(published.PathOf("Gateway.Functions.runtimeconfig.json"))).RootElement;
        var tfm = runtimeConfig.GetProperty("runtimeOptions").GetProperty("tfm").GetString()!;
        var runtime = (await workspace.ExampleSnapshotAsync()).Site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("runtime");

        Assert.Equal($"net{runtime.GetProperty("version").GetString()}", tfm);
    }

    private static List<string> FunctionRoutes(string metadata) =>
        [.. JsonDocument.Parse(metadata).RootElement.EnumerateArray()
            .Select(function => function.GetProperty("name").GetString() + " " + function.GetProperty("bindings").EnumerateArray()
                .Single(binding => binding.GetProperty("type").GetString() == "httpTrigger").GetProperty("route").GetString())
            .Order(StringComparer.Ordinal)];
}
