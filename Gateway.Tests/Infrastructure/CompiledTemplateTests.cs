using System.Text.RegularExpressions;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// The ARM template main.bicep compiles to, modules included: what Azure Resource Manager receives. Secrets may be
/// read inside it (listKeys into app settings) but never come out of it, and parameters that carry one are secure,
/// so they are kept out of the deployment history as well.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed partial class CompiledTemplateTests(BicepWorkspace workspace)
{
    /// <summary>Text that, in an output's value or name, means a secret leaves the deployment.</summary>
    private static readonly string[] s_secretMarkers =
        ["listKeys", "listSecrets", "listConnectionStrings", "listCredentials", "list(", "primaryKey", "secondaryKey", "accessKey",
         "AccountKey", "password", "ConnectionString", "secret"];

    [Fact]
    public async Task Outputs_OfEveryTemplate_CarryNoSecret()
    {
        var template = await workspace.MainTemplateAsync();
        var outputs = template.SelfAndModules()
            .SelectMany(t => t.Outputs().Select(output => (Template: t.Path, output.Name, Output: output.Value)))
            .ToList();

        Assert.Contains(outputs, output => output.Template == "main");
        Assert.Contains(outputs, output => output.Template != "main");
        Assert.All(outputs, output =>
        {
            var type = output.Output.GetProperty("type").GetString()!;
            var value = output.Output.TryGetProperty("value", out var v) ? v.GetRawText() : string.Empty;
            Assert.False(type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"{output.Template}: output {output.Name} is {type}");
            foreach (var marker in s_secretMarkers)
            {
                Assert.False(value.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{output.Template}: output {output.Name} = {value} contains '{marker}'");
                Assert.False(output.Name.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{output.Template}: output {output.Name} is named like a secret");
            }
        });
    }

    [Fact]
    public async Task RedisConfigurationParameters_AreSecure_AllTheWayDown()
    {
        // A configuration string for a Redis of your own holds its password: secure in main and in the module it
        // is passed to, so neither deployment records it.
        var template = await workspace.MainTemplateAsync();
        var functionApp = template.SelfAndModules().Single(t => t.Path == "main/function-app");

        Assert.Equal("securestring", template.Parameter("redisConfiguration").GetProperty("type").GetString(), ignoreCase: true);
        Assert.Equal("securestring", functionApp.Parameter("externalRedisConfiguration").GetProperty("type").GetString(), ignoreCase: true);
        Assert.False(template.Parameter("redisConfiguration").TryGetProperty("defaultValue", out var defaultValue) && defaultValue.GetString() != string.Empty);
    }

    [Fact]
    public async Task HostingPlan_OffersOnlyPlansWithVNetIntegration_FlexConsumptionByDefault()
    {
        // The legacy Consumption plan cannot reach a private Ollama, buffers streams on Linux and cannot mount
        // the keys share.
        var hostingPlan = (await workspace.MainTemplateAsync()).Parameter("hostingPlan");

        Assert.Equal("FlexConsumption", hostingPlan.GetProperty("defaultValue").GetString());
        Assert.Equal(["FlexConsumption", "ElasticPremium", "Dedicated"], hostingPlan.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task ListKeys_AppearsOnlyInTheFunctionAppModule()
    {
        // Keys are read where they are used (the app's settings and its storage mount) and nowhere else.
        var template = await workspace.MainTemplateAsync();

        var readers = template.SelfAndModules()
            .Where(t => ListKeysCall().IsMatch(t.Root.GetRawText()))
            .Select(t => t.Path);

        // main's own text includes its modules' templates, so its own variables and outputs are checked apart.
        Assert.Equal(["main/function-app"], readers.Where(path => path != "main"));
        Assert.DoesNotMatch(ListKeysCall(), template.Root.GetProperty("variables").GetRawText());
        Assert.DoesNotMatch(ListKeysCall(), template.Root.GetProperty("outputs").GetRawText());
    }

    [Fact]
    public async Task ExistingResourcesOfOptionalFeatures_AreReadOnlyWhenTheFeatureIsOn()
    {
        // In language version 2.0 templates ARM reads every `existing` resource, referenced or not, and fails the
        // deployment when it is missing: a Redis that was not deployed, or a subnet of a network not used, must
        // only be read under a condition.
        var template = await workspace.MainTemplateAsync();
        var existing = template.SelfAndModules()
            .SelectMany(t => t.Resources().Where(r => r.TryGetProperty("existing", out var e) && e.GetBoolean()).Select(r => (t.Path, Resource: r)))
            .Where(item => item.Resource.GetProperty("type").GetString() is { } type
                && (type.StartsWith("Microsoft.Cache/", StringComparison.Ordinal) || type == "Microsoft.Network/virtualNetworks/subnets"))
            .ToList();

        Assert.Equal(3, existing.Count);
        Assert.All(existing, item => Assert.True(item.Resource.TryGetProperty("condition", out _), $"{item.Path}: {item.Resource.GetProperty("type").GetString()} is read unconditionally"));
    }

    /// <summary>A call in an ARM expression (descriptions may mention "listKeys()" without calling it).</summary>
    [GeneratedRegex(@"listKeys\([^)]")]
    private static partial Regex ListKeysCall();
}
