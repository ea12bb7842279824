using System.Text.Json;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// The gateway's settings as the deployment writes them: every Gateway__* setting local.settings.sample.json lists
/// (read at test time, so a setting added there must be added to the template too), with the same defaults.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class AppSettingsDeploymentTests(BicepWorkspace workspace)
{
    /// <summary>Settings whose value on Azure differs from the sample's on purpose.</summary>
    private static readonly Dictionary<string, string> s_azureSpecific = new(StringComparer.Ordinal)
    {
        ["Gateway__OllamaUrl"] = "the Ollama VM's private address, not localhost",
        ["Gateway__KeysFile"] = "the file on the mounted share, not one in the package",
        ["Gateway__Redis__Configuration"] = "a secure parameter (or the deployed Redis), which a snapshot does not evaluate",
    };

    public static TheoryData<string> SampleGatewaySettings { get; } = [.. SampleValues().Keys];

    [Theory]
    [MemberData(nameof(SampleGatewaySettings))]
    public async Task ExampleDeployment_SetsEveryGatewaySettingOfTheSample(string setting)
    {
        var snapshot = await workspace.ExampleSnapshotAsync();

        Assert.NotNull(snapshot.AppSetting(setting));
    }

    [Fact]
    public async Task DefaultDeployment_GivesEverySettingTheSamplesDefault()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync();

        Assert.All(SampleValues().Where(sample => !s_azureSpecific.ContainsKey(sample.Key)), sample =>
            Assert.True(snapshot.AppSetting(sample.Key) == sample.Value, $"{sample.Key}: template default '{snapshot.AppSetting(sample.Key)}', sample '{sample.Value}'"));
    }

    [Theory]
    [InlineData("Gateway__Redis__KeyPrefix", "ogw:")]
    [InlineData("Gateway__Usage__Enabled", "false")]
    [InlineData("Gateway__AccessLog__Enabled", "true")]
    public async Task DefaultDeployment_SetsTheSharedStateAndObservabilitySettings(string setting, string expected)
    {
        // Usage accounting writes a SQLite ledger, which instances without a shared disk cannot share: off on Functions.
        Assert.Equal(expected, (await workspace.ScenarioSnapshotAsync()).AppSetting(setting));
    }

    [Fact]
    public async Task DefaultDeployment_PointsTheGatewayAtTheOllamaVmAndTheMountedKeys()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync();

        Assert.Equal("http://10.20.3.4:11434", snapshot.AppSetting("Gateway__OllamaUrl"));
        Assert.Equal("/mounts/keys/keys.json", snapshot.AppSetting("Gateway__KeysFile"));
    }

    [Fact]
    public async Task WithoutRedis_RedisConfigurationComesFromTheSecureParameter()
    {
        // Empty by default (the parameter's default), so the gateway keeps its state in memory; a configuration
        // string for your own Redis is passed without appearing in the deployment history.
        var snapshot = await workspace.ScenarioSnapshotAsync();

        // The snapshot leaves secure parameters unevaluated: main passes redisConfiguration to the app module's
        // secure externalRedisConfiguration.
        Assert.Equal("[parameters('externalRedisConfiguration')]", snapshot.AppSetting("Gateway__Redis__Configuration"));
        Assert.Empty(snapshot.OfType("Microsoft.Cache/redisEnterprise"));
    }

    [Fact]
    public async Task OpenTelemetry_ExportsToAzureMonitor_AndToOtlpWhenAnEndpointIsGiven()
    {
        var plain = await workspace.ScenarioSnapshotAsync();
        var otlp = await workspace.ScenarioSnapshotAsync("param otlpEndpoint = 'http://collector.internal:4317'");

        Assert.NotNull(plain.AppSetting("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        Assert.Null(plain.AppSetting("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("http://collector.internal:4317", otlp.AppSetting("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    [Fact]
    public async Task EntraOnlyTelemetry_TellsTheHostWhichIdentityAuthenticates()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync("param monitoringLocalAuthDisabled = true");
        var clientId = snapshot.AppSetting("AZURE_CLIENT_ID");

        Assert.True(snapshot.Single("Microsoft.Insights/components").GetProperty("properties").GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Equal($"[format('ClientId={{0}};Authorization=AAD', {clientId![1..^1]})]", snapshot.AppSetting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    }

    [Fact]
    public async Task SeveralUpstreams_ReplaceOllamaUrl_NeverBoth()
    {
        // Gateway__OllamaUrl and Gateway__Upstreams together stop the gateway at start-up.
        var snapshot = await workspace.ScenarioSnapshotAsync("""
            param upstreams = [
              { name: 'gpu-a', url: 'http://10.20.3.4:11434', weight: 3 }
              { name: 'gpu-b', url: 'http://10.20.3.5:11434' }
            ]
            """);
        var upstreamSettings = snapshot.AppSettings.EnumerateObject()
            .Where(setting => setting.Name.StartsWith("Gateway__Upstreams__", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Name, setting => setting.Value.GetString());

        Assert.Null(snapshot.AppSetting("Gateway__OllamaUrl"));
        Assert.Equal(new Dictionary<string, string?>
        {
            ["Gateway__Upstreams__0__Name"] = "gpu-a",
            ["Gateway__Upstreams__0__Url"] = "http://10.20.3.4:11434",
            ["Gateway__Upstreams__0__Weight"] = "3",
            ["Gateway__Upstreams__1__Name"] = "gpu-b",
            ["Gateway__Upstreams__1__Url"] = "http://10.20.3.5:11434",
        }, upstreamSettings);
    }

    [Fact]
    public async Task AllowedRegistries_BecomeOneIndexedSettingEach()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync("param allowedRegistries = ['registry.ollama.ai', 'registry.example.com']");

        Assert.Equal("registry.ollama.ai", snapshot.AppSetting("Gateway__AllowedRegistries__0"));
        Assert.Equal("registry.example.com", snapshot.AppSetting("Gateway__AllowedRegistries__1"));
        Assert.Null(snapshot.AppSetting("Gateway__AllowedRegistries__2"));
    }

    // An empty entry of a list (Gateway__Upstreams__0__Name) shows the list's shape in the sample; the template builds
    // that list from its own parameter (upstreams), which the upstream deployment tests check.
    private static Dictionary<string, string> SampleValues() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryLayout.PathOf("local.settings.sample.json"))).RootElement
            .GetProperty("Values").EnumerateObject()
            .Where(value => value.Name.StartsWith("Gateway__", StringComparison.Ordinal))
            .Where(value => !(value.Value.GetString() is "" && System.Text.RegularExpressions.Regex.IsMatch(value.Name, "__[0-9]+__")))
            .ToDictionary(value => value.Name, value => value.Value.GetString()!, StringComparer.Ordinal);
}
