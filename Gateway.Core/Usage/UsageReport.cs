namespace OllamaGateway.Usage;

/// <summary>A usage report: the period, the rows and the totals over every row.</summary>
/// <param name="Query">What was asked for.</param>
/// <param name="Rows">One row per group, ordered by the grouping fields.</param>
/// <param name="Totals">Every request the query matched, whatever its group.</param>
public sealed record UsageReport(UsageQuery Query, IReadOnlyList<UsageRow> Rows, UsageCounters Totals);
