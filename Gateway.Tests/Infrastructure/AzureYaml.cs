using OllamaGateway.Tests.Deployment;
using YamlDotNet.RepresentationModel;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>azure.yaml at the repository root, parsed as YAML, as azd reads it.</summary>
internal sealed class AzureYaml(YamlMappingNode root)
{
    public static string FilePath => RepositoryLayout.PathOf("azure.yaml");

    public IEnumerable<string> ServiceNames => Mapping(root, "services").Children.Keys.Select(key => ((YamlScalarNode)key).Value!);

    public static AzureYaml Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(FilePath))
        {
            stream.Load(reader);
        }

        return new AzureYaml((YamlMappingNode)Assert.Single(stream.Documents).RootNode);
    }

    /// <summary>A top-level scalar such as <c>name</c>, or null.</summary>
    public string? Value(string key) => Scalar(root, key);

    /// <summary>A scalar of the <c>infra</c> section, or null.</summary>
    public string? Infra(string key) => Scalar(Mapping(root, "infra"), key);

    /// <summary>A scalar of one service, or null.</summary>
    public string? Service(string service, string key) => Scalar(Mapping(Mapping(root, "services"), service), key);

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
