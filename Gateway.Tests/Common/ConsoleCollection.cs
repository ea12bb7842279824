namespace OllamaGateway.Tests.Common;

/// <summary>Tests that swap <see cref="Console"/> streams run alone, so no other test's output lands in them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
