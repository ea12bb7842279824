using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Configuration;

/// <summary>
/// Checks <c>Gateway:Usage</c> and <c>Gateway:AccessLog</c>, and enforces the Functions rule: several instances of an
/// Azure Functions app must never write one SQLite file (above all on a network share), so the ledger cannot be
/// turned on there; usage is exported with OpenTelemetry (and counted in Redis when it is configured).
/// </summary>
internal sealed class UsageOptionsValidator(IConfiguration configuration) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        var usage = options.Usage;
        if (usage.Enabled == true && UsageLedgerLocation.RunsInFunctionsWorker(configuration))
        {
            failures.Add("Gateway:Usage:Enabled cannot be true under Azure Functions: several instances must never write one SQLite file. Usage is exported with OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT, APPLICATIONINSIGHTS_CONNECTION_STRING) and counted in Redis when Gateway:Redis:Configuration is set.");
        }

        if (usage.RetentionDays < 1)
        {
            failures.Add("Gateway:Usage:RetentionDays must be a whole number of at least 1.");
        }

        if (usage.QueueCapacity < 1)
        {
            failures.Add("Gateway:Usage:QueueCapacity must be a whole number of at least 1.");
        }

        if (string.IsNullOrWhiteSpace(usage.Path))
        {
            failures.Add("Gateway:Usage:Path must name the ledger file (default usage.db).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
