using System.Text.RegularExpressions;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>docs/deployment.md names parameters and outputs of infra/; they must be ones the template has.</summary>
[Collection(BicepCollection.Name)]
public sealed partial class DeploymentGuideTests(BicepWorkspace workspace)
{
    private static readonly string s_guide = File.ReadAllText(RepositoryLayout.PathOf("docs", "deployment.md"));

    [Fact]
    public async Task ParameterTable_NamesOnlyParametersOfMainBicep()
    {
        var parameters = (await workspace.MainTemplateAsync()).Parameters().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var table = Section("#### Parameters").Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var named = table.SelectMany(row => Code().Matches(row.Split('|')[1]).Select(match => match.Groups["code"].Value)).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, parameters));
    }

    [Fact]
    public async Task OneCommandSection_UsesOnlyOutputsTheDeploymentHas()
    {
        var outputs = (await workspace.MainTemplateAsync()).Outputs().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var placeholders = Placeholder().Matches(Section("### In one command")).Select(match => match.Groups["name"].Value).Distinct().ToList();

        Assert.NotEmpty(placeholders);
        Assert.All(placeholders, name => Assert.Contains(name, outputs));
    }

    [Fact]
    public async Task OllamaRuleCommand_PassesEveryParameterTheModuleNeeds()
    {
        var module = (await workspace.MainTemplateAsync()).SelfAndModules().Single(t => t.Path == "main/ollama-access");
        var command = s_guide[s_guide.IndexOf("-f infra/modules/ollamaAccess.bicep", StringComparison.Ordinal)..];
        command = command[..command.IndexOf("```", StringComparison.Ordinal)];
        var given = ParameterAssignment().Matches(command).Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var required = module.Parameters().Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);

        Assert.All(given, name => Assert.Contains(name, module.Parameters().Select(p => p.Name)));
        Assert.All(required, name => Assert.Contains(name, given));
    }

    private static string Section(string heading)
    {
        var start = s_guide.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/deployment.md has no '{heading}'");
        var level = heading[..(heading.IndexOf(' ', StringComparison.Ordinal) + 1)];
        var end = s_guide.IndexOf("\n" + level, start + heading.Length + 1, StringComparison.Ordinal);
        return end < 0 ? s_guide[start..] : s_guide[start..end];
    }

    [GeneratedRegex("`(?<code>[A-Za-z]+)`")]
    private static partial Regex Code();

    [GeneratedRegex("<(?<name>[A-Z][A-Z_]+)>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?<name>[A-Za-z]+)=\S")]
    private static partial Regex ParameterAssignment();
}
