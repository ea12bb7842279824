namespace OllamaGateway.Usage;

/// <summary>One group of a usage report: only the fields the query grouped by are set.</summary>
/// <param name="Key">The key's name, when grouped by key.</param>
/// <param name="Model">The model, when grouped by model.</param>
/// <param name="Period">The start of the UTC day or hour, when grouped by one.</param>
/// <param name="Counters">What the group counted.</param>
public sealed record UsageRow(string? Key, string? Model, DateTimeOffset? Period, UsageCounters Counters);
