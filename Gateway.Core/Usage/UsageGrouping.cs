namespace OllamaGateway.Usage;

/// <summary>What a usage report groups its rows by (any combination).</summary>
public enum UsageGrouping
{
    /// <summary>The key's name.</summary>
    Key,

    /// <summary>The model as the client named it.</summary>
    Model,

    /// <summary>The UTC calendar day.</summary>
    Day,

    /// <summary>The UTC hour.</summary>
    Hour,
}
