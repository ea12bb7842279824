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
    /// Opens the report source the settings name: the counters in Redis when <c>Gateway:Redis:Configuration</c> is set
    /// (every instance's usage; <see cref="IOException"/> when Redis cannot be reached), otherwise the SQLite ledger at
    /// <c>Gateway:Usage:Path</c> (resolved beside the keys file, against <paramref name="contentRoot"/>). Throws
    /// <see cref="FileNotFoundException"/> when there is no ledger yet. Dispose the source when it is disposable.
    /// </summary>
    public static IUsageReportSource Open(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        if (SharedState.SharedStateRegistration.IsConfigured(configuration))
        {
            return SharedState.RedisUsageReportSource.Connect(options.Redis.Configuration!, options.Redis.KeyPrefix);
        }

        var location = new UsageLedgerLocation(options, functionsWorker: false, contentRoot);
        return SqliteUsageLedger.OpenForReading(location.Path);
    }
}
