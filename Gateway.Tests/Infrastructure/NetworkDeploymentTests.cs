namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// Reaching a private Ollama: VNet integration into an existing network, and the network security rules that let
/// only the gateway's subnet reach Ollama's port (Ollama has no authentication of its own).
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class NetworkDeploymentTests(BicepWorkspace workspace)
{
    private const string IntegrationSubnet = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-corp/subnets/gateway";
    private const string PrivateEndpointSubnet = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-corp/subnets/endpoints";

    private const string ExistingNetwork = $"""
        param existingIntegrationSubnetId = '{IntegrationSubnet}'
        param existingPrivateEndpointSubnetId = '{PrivateEndpointSubnet}'
        """;

    private const string WithRules = """
        param ollamaNetworkSecurityGroupName = 'nsg-ollama'
        param ollamaNetworkSecurityGroupResourceGroup = 'rg-ollama'
        """;

    [Fact]
    public async Task ExistingNetwork_IsUsedAsIs_AndNoNetworkIsCreated()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(ExistingNetwork);

        Assert.Empty(snapshot.OfType("Microsoft.Network/virtualNetworks"));
        Assert.Equal(IntegrationSubnet, snapshot.Site.GetProperty("properties").GetProperty("virtualNetworkSubnetId").GetString());
        Assert.Equal(IntegrationSubnet, snapshot.Outputs.GetProperty("GATEWAY_INTEGRATION_SUBNET_ID").GetString());
    }

    [Fact]
    public async Task OllamaRules_AllowOnlyTheIntegrationSubnet_ThenDenyEveryoneElse()
    {
        var snapshot = await workspace.ScenarioSnapshotAsync(WithRules + "\nparam ollamaPort = 11500");
        var rules = snapshot.OfType("Microsoft.Network/networkSecurityGroups/securityRules")
            .Select(rule => rule.GetProperty("properties")).OrderBy(rule => rule.GetProperty("priority").GetInt32()).ToList();

        Assert.Equal(2, rules.Count);
        var (allow, deny) = (rules[0], rules[1]);
        Assert.Equal("Allow", allow.GetProperty("access").GetString());
        Assert.Equal("10.20.1.0/24", allow.GetProperty("sourceAddressPrefix").GetString());
        Assert.Equal("Deny", deny.GetProperty("access").GetString());
        Assert.Equal("*", deny.GetProperty("sourceAddressPrefix").GetString());
        Assert.All(rules, rule =>
        {
            Assert.Equal("Inbound", rule.GetProperty("direction").GetString());
            Assert.Equal("10.20.3.4", rule.GetProperty("destinationAddressPrefix").GetString());
            Assert.Equal("11500", rule.GetProperty("destinationPortRange").GetString());
        });
        Assert.Equal("http://10.20.3.4:11500", snapshot.AppSetting("Gateway__OllamaUrl"));
    }

    [Fact]
    public async Task OllamaRules_GoIntoTheVmsNetworkSecurityGroup_InItsResourceGroup()
    {
        var rules = (await workspace.ScenarioSnapshotAsync(WithRules)).OfType("Microsoft.Network/networkSecurityGroups/securityRules").ToList();

        Assert.All(rules, rule =>
        {
            Assert.StartsWith("nsg-ollama/", rule.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Contains("/resourceGroups/rg-ollama/providers/Microsoft.Network/networkSecurityGroups/nsg-ollama/", rule.GetProperty("id").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task OllamaRules_WithAnExistingNetwork_AllowTheExistingSubnetsRange()
    {
        var rules = (await workspace.ScenarioSnapshotAsync(ExistingNetwork + "\n" + WithRules)).OfType("Microsoft.Network/networkSecurityGroups/securityRules");
        var allow = rules.Single(rule => rule.GetProperty("properties").GetProperty("access").GetString() == "Allow");

        // Read from the subnet itself when the deployment runs.
        Assert.Equal($"[reference('{IntegrationSubnet}', '2024-07-01').addressPrefix]", allow.GetProperty("properties").GetProperty("sourceAddressPrefix").GetString());
    }

    [Fact]
    public async Task WithoutAGroupName_NoRulesAreAdded()
    {
        Assert.Empty((await workspace.ScenarioSnapshotAsync()).OfType("Microsoft.Network/networkSecurityGroups/securityRules"));
    }
}
