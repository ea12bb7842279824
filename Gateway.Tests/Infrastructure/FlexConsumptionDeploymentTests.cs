using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Json;
using OllamaGateway.Functions;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// What `azd up` / `az deployment group create -p infra/main.bicepparam` would create with the repository's example
/// parameters (Flex Consumption, a new virtual network), as the ARM template engine evaluates the compiled template.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class FlexConsumptionDeploymentTests(BicepWorkspace workspace)
{
    [Fact]
    public async Task Plan_IsLinuxFlexConsumption()
    {
        var plan = (await workspace.ExampleSnapshotAsync()).Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public async Task Site_IsALinuxFunctionAppOnThatPlan()
    {
        var snapshot = await workspace.ExampleSnapshotAsync();
        var site = snapshot.Site;

        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal(snapshot.Single("Microsoft.Web/serverfarms").GetProperty("id").GetString(), site.GetProperty("properties").GetProperty("serverFarmId").GetString());
    }

    [Fact]
    public async Task Site_IsHttpsOnly_WithTls12AndNoFtp()
    {
        var properties = (await workspace.ExampleSnapshotAsync()).Site.GetProperty("properties");
        var siteConfig = properties.GetProperty("siteConfig");

        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", siteConfig.GetProperty("minTlsVersion").GetString());
        Assert.Equal("1.2", siteConfig.GetProperty("scmMinTlsVersion").GetString());
        Assert.Equal("Disabled", siteConfig.GetProperty("ftpsState").GetString());
        Assert.Equal("Enabled", properties.GetProperty("publicNetworkAccess").GetString());
    }

    [Fact]
    public async Task Site_RunsDotnetIsolated_OnTheFrameworkGatewayFunctionsIsBuiltFor()
    {
        var runtime = (await workspace.ExampleSnapshotAsync()).Site.GetProperty("properties")
            .GetProperty("functionAppConfig").GetProperty("runtime");
        // ".NETCoreApp,Version=v10.0" -> "10.0", the form Flex Consumption names .NET versions in.
        var framework = new FrameworkName(typeof(ChatCompletions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal($"{framework.Version.Major}.{framework.Version.Minor}", runtime.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Site_OnFlexConsumption_CarriesNoneOfTheSettingsFlexRejects()
    {
        // Flex Consumption takes the runtime and the package from functionAppConfig; these settings and
        // properties are rejected or ignored there.
        var snapshot = await workspace.ExampleSnapshotAsync();
        string[] rejected =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "SCM_DO_BUILD_DURING_DEPLOYMENT", "AzureWebJobsStorage",
        ];

        Assert.All(rejected, name => Assert.Null(snapshot.AppSetting(name)));
        Assert.False(snapshot.Site.GetProperty("properties").GetProperty("siteConfig").TryGetProperty("linuxFxVersion", out _));
        Assert.Empty(snapshot.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"));
    }

    [Fact]
    public async Task Site_IntegratesWithTheSubnetDelegatedToFlexConsumption()
    {
        var snapshot = await workspace.ExampleSnapshotAsync();
        var vnet = snapshot.Single("Microsoft.Network/virtualNetworks");
        var subnetId = snapshot.Site.GetProperty("properties").GetProperty("virtualNetworkSubnetId").GetString()!;
        var subnetName = subnetId[(subnetId.LastIndexOf('/') + 1)..];
        var subnet = vnet.GetProperty("properties").GetProperty("subnets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == subnetName);

        Assert.StartsWith(vnet.GetProperty("id").GetString() + "/subnets/", subnetId, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["Microsoft.App/environments"], subnet.GetProperty("properties").GetProperty("delegations").EnumerateArray()
            .Select(d => d.GetProperty("properties").GetProperty("serviceName").GetString()));
    }

    [Fact]
    public async Task KeysShare_IsMountedWhereGatewayKeysFilePoints()
    {
        var snapshot = await workspace.ExampleSnapshotAsync();
        var keysFile = snapshot.AppSetting("Gateway__KeysFile")!;
        var mount = Assert.Single(snapshot.StorageMounts.EnumerateObject()).Value;
        var share = snapshot.Single("Microsoft.Storage/storageAccounts/fileServices/shares");
        var shareParts = share.GetProperty("name").GetString()!.Split('/');

        Assert.Equal("AzureFiles", mount.GetProperty("type").GetString());
        Assert.Equal(keysFile[..keysFile.LastIndexOf('/')], mount.GetProperty("mountPath").GetString());
        Assert.Equal("keys.json", keysFile[(keysFile.LastIndexOf('/') + 1)..]);
        Assert.Equal(shareParts[0], mount.GetProperty("accountName").GetString());
        Assert.Equal(shareParts[^1], mount.GetProperty("shareName").GetString());
        Assert.Equal("SMB", share.GetProperty("properties").GetProperty("enabledProtocols").GetString());
    }

    [Fact]
    public async Task KeysMount_ReadsTheAccountKeyInsideTheDeployment()
    {
        // Azure Files mounts on Functions authenticate with the account key (no managed identity for SMB mounts):
        // the key is read with listKeys() as the mount is configured, so no one has to paste it anywhere.
        var snapshot = await workspace.ExampleSnapshotAsync();
        var mount = Assert.Single(snapshot.StorageMounts.EnumerateObject()).Value;
        var account = mount.GetProperty("accountName").GetString();

        Assert.Matches($@"^\[listKeys\('[^']*/Microsoft\.Storage/storageAccounts/{account}', '[^']+'\)\.keys\[0\]\.value\]$", mount.GetProperty("accessKey").GetString()!);
    }

    [Fact]
    public async Task HostStorage_RefusesSharedKeys_AndTheAppReachesItWithItsIdentity()
    {
        var snapshot = await workspace.ExampleSnapshotAsync();
        var hostAccountName = snapshot.AppSetting("AzureWebJobsStorage__accountName");
        var hostAccount = snapshot.OfType("Microsoft.Storage/storageAccounts").Single(a => a.GetProperty("name").GetString() == hostAccountName);
        var identityId = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").GetProperty("id").GetString()!;
        var deployment = snapshot.Site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");

        Assert.False(hostAccount.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(hostAccount.GetProperty("properties").GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", hostAccount.GetProperty("properties").GetProperty("minimumTlsVersion").GetString());
        Assert.Equal("managedidentity", snapshot.AppSetting("AzureWebJobsStorage__credential"));
        Assert.Contains(identityId, snapshot.AppSetting("AzureWebJobsStorage__clientId"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(identityId, snapshot.Site.GetProperty("identity").GetProperty("userAssignedIdentities").EnumerateObject().Select(p => p.Name));
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal(identityId, deployment.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString());
    }

    [Fact]
    public async Task DeploymentContainer_ExistsInTheHostStorage_AndTheIdentityOwnsItsBlobs()
    {
        var snapshot = await workspace.ExampleSnapshotAsync();
        var hostAccountName = snapshot.AppSetting("AzureWebJobsStorage__accountName");
        var container = snapshot.Single("Microsoft.Storage/storageAccounts/blobServices/containers").GetProperty("name").GetString()!;
        var deploymentUrl = snapshot.Site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage").GetProperty("value").GetString()!;
        const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";

        Assert.StartsWith(hostAccountName + "/default/", container, StringComparison.Ordinal);
        Assert.Contains($"/Microsoft.Storage/storageAccounts/{hostAccountName}'", deploymentUrl, StringComparison.Ordinal);
        Assert.EndsWith($"'{container[(container.LastIndexOf('/') + 1)..]}')]", deploymentUrl, StringComparison.Ordinal);
        Assert.Contains(snapshot.OfType("Microsoft.Authorization/roleAssignments"), role =>
            role.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.EndsWith(StorageBlobDataOwner, StringComparison.Ordinal)
            && role.GetProperty("name").GetString()!.Contains($"/Microsoft.Storage/storageAccounts/{hostAccountName}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Monitoring_SendsToTheDeployedWorkspaceBasedApplicationInsights()
    {
        var snapshot = await workspace.ExampleSnapshotAsync();
        var insights = snapshot.Single("Microsoft.Insights/components");
        var workspaceId = snapshot.Single("Microsoft.OperationalInsights/workspaces").GetProperty("id").GetString();

        Assert.Equal(workspaceId, insights.GetProperty("properties").GetProperty("WorkspaceResourceId").GetString());
        Assert.Equal($"[reference('{insights.GetProperty("id").GetString()}', '2020-02-02').ConnectionString]", snapshot.AppSetting("APPLICATIONINSIGHTS_CONNECTION_STRING"));
    }

    [Fact]
    public async Task Scale_FollowsTheExampleParameters()
    {
        var scale = (await workspace.ExampleSnapshotAsync()).Site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");

        Assert.Equal(2048, scale.GetProperty("instanceMemoryMB").GetInt32());
        Assert.Equal(40, scale.GetProperty("maximumInstanceCount").GetInt32());
        Assert.Equal(100, scale.GetProperty("triggers").GetProperty("http").GetProperty("perInstanceConcurrency").GetInt32());
        var alwaysReady = Assert.Single(scale.GetProperty("alwaysReady").EnumerateArray());
        Assert.Equal("http", alwaysReady.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Site_IsTaggedForTheServiceAzureYamlDeploys()
    {
        var tags = (await workspace.ExampleSnapshotAsync()).Site.GetProperty("tags");

        Assert.Equal(AzureYaml.Load().ServiceNames.Single(), tags.GetProperty("azd-service-name").GetString());
    }

    [Fact]
    public async Task Outputs_AsEvaluated_HoldNoSecret()
    {
        var outputs = (await workspace.ExampleSnapshotAsync()).Outputs.GetRawText();

        Assert.DoesNotContain("listKeys", outputs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", outputs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password", outputs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ConnectionString", outputs, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.String, (await workspace.ExampleSnapshotAsync()).Outputs.GetProperty("AZURE_FUNCTION_NAME").ValueKind);
    }
}
