namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// The tests that run the Bicep compiler share one workspace, so each template and parameter set is compiled and
/// snapshotted once; they run one after another, beside the rest of the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<BicepWorkspace>
{
    public const string Name = "Bicep";
}
