namespace OllamaGateway.Configuration;

/// <summary>The usage ledger: <c>Gateway:Usage</c>.</summary>
public sealed class UsageOptions
{
    /// <summary>
    /// Whether every finished request is written to the SQLite ledger. Unset means the host's default: on for the
    /// standalone server, off under Azure Functions, where several instances must never write one SQLite file.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The ledger file; relative paths are resolved against the keys file's folder. Default <c>usage.db</c>.</summary>
    public string Path { get; set; } = "usage.db";

    /// <summary>How many days of rows the ledger keeps; older rows are pruned.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>How many finished requests may wait for the ledger's writer before new ones are dropped (and counted).</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
