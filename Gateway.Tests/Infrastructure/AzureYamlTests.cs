using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>azure.yaml, which makes `azd up` provision infra/ and deploy Gateway.Functions.</summary>
public sealed class AzureYamlTests
{
    [Fact]
    public void GatewayService_DeploysGatewayFunctionsAsADotnetFunctionApp()
    {
        var azure = AzureYaml.Load();
        var project = Path.GetFullPath(Path.Combine(RepositoryLayout.Root, azure.Service("gateway", "project")!));

        Assert.Equal(["gateway"], azure.ServiceNames);
        Assert.Equal(RepositoryLayout.PathOf("Gateway.Functions"), project.TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(Path.Combine(project, "Gateway.Functions.csproj")));
        Assert.Equal("dotnet", azure.Service("gateway", "language"));
        Assert.Equal("function", azure.Service("gateway", "host"));
    }

    [Fact]
    public void Infra_PointsAtMainBicepAndItsParameterFile()
    {
        var azure = AzureYaml.Load();
        var infra = RepositoryLayout.PathOf(azure.Infra("path")!);
        var module = azure.Infra("module")!;

        Assert.Equal("bicep", azure.Infra("provider"));
        Assert.True(File.Exists(Path.Combine(infra, module + ".bicep")));
        // azd passes <module>.bicepparam (or <module>.parameters.json) to the deployment.
        Assert.True(File.Exists(Path.Combine(infra, module + ".bicepparam")));
        Assert.False(File.Exists(Path.Combine(infra, module + ".parameters.json")), "Two parameter files would disagree; azd uses one.");
    }
}
