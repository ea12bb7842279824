namespace OllamaGateway.Tests.Infrastructure;

/// <summary>The same gateway on the other plans that can reach a private Ollama: Elastic Premium and Dedicated.</summary>
[Collection(BicepCollection.Name)]
public sealed class HostingPlanDeploymentTests(BicepWorkspace workspace)
{
    private const string Premium = "param hostingPlan = 'ElasticPremium'";
    private const string Dedicated = "param hostingPlan = 'Dedicated'";

    [Theory]
    [InlineData(Premium, "EP1", "ElasticPremium", "elastic")]
    [InlineData(Dedicated, "P0v3", null, "linux")]
    public async Task Plan_IsLinux_WithTheDefaultSku(string parameters, string sku, string? tier, string kind)
    {
        var plan = (await workspace.ScenarioSnapshotAsync(parameters)).Single("Microsoft.Web/serverfarms");

        Assert.Equal(sku, plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal(tier, plan.GetProperty("sku").TryGetProperty("tier", out var t) ? t.GetString() : null);
        Assert.Equal(kind, plan.GetProperty("kind").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());
    }

    [Theory]
    [InlineData(Premium)]
    [InlineData(Dedicated)]
    public async Task Site_DeclaresTheIsolatedRuntimeTheClassicWay(string parameters)
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(parameters);
        var properties = snapshot.Site.GetProperty("properties");

        Assert.Equal("DOTNET-ISOLATED|10.0", properties.GetProperty("siteConfig").GetProperty("linuxFxVersion").GetString());
        Assert.False(properties.TryGetProperty("functionAppConfig", out _));
        Assert.Equal("dotnet-isolated", snapshot.AppSetting("FUNCTIONS_WORKER_RUNTIME"));
        Assert.Equal("~4", snapshot.AppSetting("FUNCTIONS_EXTENSION_VERSION"));
    }

    [Theory]
    [InlineData(Premium)]
    [InlineData(Dedicated)]
    public async Task Site_KeepsTheTransportHardening(string parameters)
    {
        var properties = (await workspace.ScenarioSnapshotAsync(parameters)).Site.GetProperty("properties");

        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", properties.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.Equal("Disabled", properties.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
    }

    [Theory]
    [InlineData(Premium)]
    [InlineData(Dedicated)]
    public async Task BasicPublishingCredentials_AreOff(string parameters)
    {
        var policies = (await workspace.ScenarioSnapshotAsync(parameters)).OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(["ftp", "scm"], policies.Select(p => p.GetProperty("name").GetString()!.Split('/')[^1]).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False(p.GetProperty("properties").GetProperty("allow").GetBoolean()));
    }

    [Theory]
    [InlineData(Premium)]
    [InlineData(Dedicated)]
    public async Task IntegrationSubnet_IsDelegatedToServerFarms(string parameters)
    {
        var vnet = (await workspace.ScenarioSnapshotAsync(parameters)).Single("Microsoft.Network/virtualNetworks");
        var integration = vnet.GetProperty("properties").GetProperty("subnets").EnumerateArray().Single(s => s.GetProperty("properties").TryGetProperty("delegations", out _));

        Assert.Equal("Microsoft.Web/serverFarms", integration.GetProperty("properties").GetProperty("delegations")[0].GetProperty("properties").GetProperty("serviceName").GetString());
    }

    [Fact]
    public async Task Dedicated_KeepsTheHostRunning()
    {
        var siteConfig = (await workspace.ScenarioSnapshotAsync(Dedicated)).Site.GetProperty("properties").GetProperty("siteConfig");

        Assert.True(siteConfig.GetProperty("alwaysOn").GetBoolean());
    }

    [Fact]
    public async Task ElasticPremium_KeepsItsContentOnAShareOfTheFilesAccount_NotTheIdentityOnlyOne()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(Premium);
        var contentShare = snapshot.AppSetting("WEBSITE_CONTENTSHARE")!;
        var shares = snapshot.OfType("Microsoft.Storage/storageAccounts/fileServices/shares").Select(s => s.GetProperty("name").GetString()!).ToList();
        var filesAccount = Assert.Single(snapshot.StorageMounts.EnumerateObject()).Value.GetProperty("accountName").GetString();

        Assert.Contains($"{filesAccount}/default/{contentShare}", shares);
        Assert.Contains($"AccountName={{0}}", snapshot.AppSetting("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"), StringComparison.Ordinal);
        Assert.Contains($"'{filesAccount}'", snapshot.AppSetting("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"), StringComparison.Ordinal);
        Assert.Equal(100, snapshot.Site.GetProperty("properties").GetProperty("siteConfig").GetProperty("functionAppScaleLimit").GetInt32());
    }
}
