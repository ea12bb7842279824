using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Routing;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /gateway/usage</c> (admin keys: every key's usage) and <c>GET /gateway/usage/me</c> (any key: its own), with
/// the filters of <see cref="UsageQueryParser"/> in the query string, answered as <see cref="UsageReportJson"/> from the
/// report source: the SQLite ledger, or the counters every instance shares.
/// </summary>
internal sealed partial class UsageReportHandler(IServiceProvider services, TimeProvider time, ILogger<UsageReportHandler> logger)
{
    // Optional: absent when the ledger is off and no shared store is configured (Azure Functions without Redis).
    private readonly IUsageReportSource? _source = services.GetService<IUsageReportSource>();

    public async Task HandleAsync(HttpContext context, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        var own = route.Kind == RouteKind.OwnUsageReport;
        if (!own && !key.Admin)
        {
            Log.Forbidden(logger, key.Name);
            await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.Forbidden, "Only admin keys may read every key's usage; GET /gateway/usage/me reports this key's own.");
            return;
        }

        var query = context.Request.Query;
        if (own && query.ContainsKey("key"))
        {
            await ErrorResponder.WriteAsync(context, route.Surface, StatusCodes.Status400BadRequest, "'key' is not a filter of /gateway/usage/me: it reports the key that asks.", "key", null, GatewayError.InvalidRequest);
            return;
        }

        var usageQuery = UsageQueryParser.TryParse(query["since"], query["until"], own ? (string?)null : query["key"], query["model"], query["by"], time.GetUtcNow(), out var problem);
        if (own && usageQuery is not null)
        {
            // The key that asks, whatever its name looks like (a plain-string entry is named "keys[0]").
            usageQuery = usageQuery with { Key = key.Name };
        }

        if (usageQuery is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, StatusCodes.Status400BadRequest, problem!, null, null, GatewayError.InvalidRequest);
            return;
        }

        if (_source is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.RouteNotFound, "Usage reports are off here: the usage ledger is off (Gateway:Usage:Enabled) and no shared store (Gateway:Redis:Configuration) is configured.");
            return;
        }

        var report = await _source.QueryAsync(usageQuery, cancellationToken);
        await JsonAnswer.WriteAsync(context, UsageReportJson.ToUtf8(report), cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(2102, LogLevel.Warning, "Key {KeyName} was refused the usage of every key.", EventName = "UsageReportForbidden")]
        public static partial void Forbidden(ILogger logger, string keyName);
    }
}
