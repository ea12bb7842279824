namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// Azure Managed Redis for state shared by every instance: private endpoint only, TLS, and a configuration string
/// in Gateway__Redis__Configuration that either carries the access key (read inside the deployment) or, with
/// Microsoft Entra ID, no secret at all.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class RedisDeploymentTests(BicepWorkspace workspace)
{
    private const string WithRedis = "param deployRedis = true";
    private const string WithEntraRedis = "param deployRedis = true\nparam redisUseEntraId = true";

    [Fact]
    public async Task Redis_IsReachableOnlyThroughAPrivateEndpointInTheGatewaysNetwork()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(WithRedis);
        var cluster = snapshot.Single("Microsoft.Cache/redisEnterprise");
        var endpoint = snapshot.Single("Microsoft.Network/privateEndpoints").GetProperty("properties");
        var vnetId = snapshot.Single("Microsoft.Network/virtualNetworks").GetProperty("id").GetString();
        var link = snapshot.Single("Microsoft.Network/privateDnsZones/virtualNetworkLinks");
        var connection = endpoint.GetProperty("privateLinkServiceConnections")[0].GetProperty("properties");

        Assert.Equal("Disabled", cluster.GetProperty("properties").GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("1.2", cluster.GetProperty("properties").GetProperty("minimumTlsVersion").GetString());
        Assert.Equal(cluster.GetProperty("id").GetString(), connection.GetProperty("privateLinkServiceId").GetString());
        Assert.Equal(["redisEnterprise"], connection.GetProperty("groupIds").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal($"{vnetId}/subnets/private-endpoints", endpoint.GetProperty("subnet").GetProperty("id").GetString());
        Assert.Equal("privatelink.redis.azure.net", snapshot.Single("Microsoft.Network/privateDnsZones").GetProperty("name").GetString());
        Assert.Equal(vnetId, link.GetProperty("properties").GetProperty("virtualNetwork").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Database_SpeaksTlsOnly()
    {
        var database = (await workspace.ScenarioSnapshotAsync(WithRedis)).Single("Microsoft.Cache/redisEnterprise/databases").GetProperty("properties");

        Assert.Equal("Encrypted", database.GetProperty("clientProtocol").GetString());
        Assert.Equal(10000, database.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task WithAccessKey_ConfigurationCarriesTheDatabaseKey_ReadInsideTheDeployment()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(WithRedis);
        var cluster = snapshot.Single("Microsoft.Cache/redisEnterprise").GetProperty("id").GetString();
        var configuration = snapshot.AppSetting("Gateway__Redis__Configuration")!;

        Assert.Equal("Enabled", snapshot.Single("Microsoft.Cache/redisEnterprise/databases").GetProperty("properties").GetProperty("accessKeysAuthentication").GetString());
        Assert.Equal(
            $"[format('{{0}},password={{1}}', format('{{0}}:{{1}},ssl=True,abortConnect=False', reference('{cluster}', '2025-07-01').hostName, 10000), listKeys('{cluster}/databases/default', '2025-07-01').primaryKey)]",
            configuration);
        Assert.DoesNotContain("listKeys", snapshot.Outputs.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithEntraId_ConfigurationHasNoSecret_AndTheAppsIdentityGetsTheDefaultAccessPolicy()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(WithEntraRedis);
        var cluster = snapshot.Single("Microsoft.Cache/redisEnterprise").GetProperty("id").GetString();
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").GetProperty("id").GetString();
        var assignment = snapshot.Single("Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments").GetProperty("properties");

        Assert.Equal("Disabled", snapshot.Single("Microsoft.Cache/redisEnterprise/databases").GetProperty("properties").GetProperty("accessKeysAuthentication").GetString());
        Assert.Equal($"[format('{{0}}:{{1}},ssl=True,abortConnect=False', reference('{cluster}', '2025-07-01').hostName, 10000)]", snapshot.AppSetting("Gateway__Redis__Configuration"));
        Assert.Equal("default", assignment.GetProperty("accessPolicyName").GetString());
        Assert.Equal($"[reference('{identity}', '2024-11-30').principalId]", assignment.GetProperty("user").GetProperty("objectId").GetString());
        Assert.Equal($"[reference('{identity}', '2024-11-30').clientId]", snapshot.AppSetting("AZURE_CLIENT_ID"));
    }

    [Fact]
    public async Task WithAnExistingNetwork_TheEndpointGoesIntoItsEndpointSubnet_AndDnsIsLinkedToIt()
    {
        const string Vnet = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-corp";
        var snapshot = await workspace.ScenarioSnapshotAsync($"""
            {WithRedis}
            param existingIntegrationSubnetId = '{Vnet}/subnets/gateway'
            param existingPrivateEndpointSubnetId = '{Vnet}/subnets/endpoints'
            """);

        Assert.Equal($"{Vnet}/subnets/endpoints", snapshot.Single("Microsoft.Network/privateEndpoints").GetProperty("properties").GetProperty("subnet").GetProperty("id").GetString());
        Assert.Equal(Vnet, snapshot.Single("Microsoft.Network/privateDnsZones/virtualNetworkLinks").GetProperty("properties").GetProperty("virtualNetwork").GetProperty("id").GetString());
    }
}
