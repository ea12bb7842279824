namespace OllamaGateway.Usage;

/// <summary>
/// Answers usage queries: the embedded SQLite ledger by default, shared counters when several instances report
/// together. <c>GET /gateway/usage</c> and the <c>usage</c> command both read through it.
/// </summary>
public interface IUsageReportSource
{
    /// <summary>Counts the requests <paramref name="query"/> covers.</summary>
    Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken);
}
