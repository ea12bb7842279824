using Microsoft.Extensions.Configuration;
using OllamaGateway.Configuration;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Usage;

/// <summary>
/// Where a usage report reads from when no gateway is running (the <c>usage</c> command): the same source the gateway
/// itself reports from, found from the same settings.
/// </summary>
public static class UsageReportSources
{
    /// <summary>
    /// Opens the report source the settings name: the SQLite ledger at <c>Gateway:Usage:Path</c> (resolved beside the
    /// keys file, against <paramref name="contentRoot"/>). Throws <see cref="FileNotFoundException"/> when there is no
    /// ledger yet.
    /// </summary>
    public static IUsageReportSource Open(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var location = new UsageLedgerLocation(options, functionsWorker: false, contentRoot);
        return SqliteUsageLedger.OpenForReading(location.Path);
    }
}
