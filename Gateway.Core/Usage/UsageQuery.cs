namespace OllamaGateway.Usage;

/// <summary>What a usage report covers and how it groups: the filters of <c>GET /gateway/usage</c> and the <c>usage</c> command.</summary>
/// <param name="Since">The first moment counted (inclusive).</param>
/// <param name="Until">The moment counting stops (exclusive).</param>
/// <param name="Key">Only this key's requests, or every key when null.</param>
/// <param name="Model">Only models matching this glob (<c>*</c> any run of characters except <c>/</c>, <c>?</c> one), or every model.</param>
/// <param name="By">The groupings of the rows, in order; empty for one row of totals only.</param>
public sealed record UsageQuery(DateTimeOffset Since, DateTimeOffset Until, string? Key, string? Model, IReadOnlyList<UsageGrouping> By);
