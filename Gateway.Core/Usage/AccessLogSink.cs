using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;

namespace OllamaGateway.Usage;

/// <summary>
/// One access-log line per request, category <c>OllamaGateway.Access</c>, level Information, written from the request
/// record: who (key name, or the refusal reason), from where (client address), what (method, path, route, model), where
/// it went (upstream), how it ended (status, outcome), how long (duration, time to first byte) and how much (tokens).
/// Never a key, a header value or a query string: the path is written only as the route table knows it (an unknown
/// path, or a model id in one, could carry anything, a key included), and the model is cut as errors cut it. With the console's JSON
/// formatter each line is one object whose fields are these properties.
/// </summary>
internal sealed partial class AccessLogSink : IRequestRecordSink
{
    /// <summary>The log category: operators filter or route it on its own.</summary>
    public const string Category = "OllamaGateway.Access";

    private const string None = "-";
    private readonly ILogger _logger;

    public AccessLogSink(ILoggerFactory loggers) => _logger = loggers.CreateLogger(Category);

    /// <summary>Whether the access log is on (<c>Gateway:AccessLog:Enabled</c>, default true).</summary>
    public static bool IsEnabled(IOptions<GatewayOptions> options) => options.Value.AccessLog.Enabled;

    /// <inheritdoc/>
    public void OnFinished(RequestRecord record)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        Log.Request(
            _logger,
            record.Method ?? None,
            LoggedPath(record),
            record.Status,
            RequestOutcomeNames.Of(record.Outcome),
            record.KeyName ?? None,
            record.Reason == GatewayError.None ? None : record.Reason.ToString(),
            record.ClientAddress?.ToString() ?? None,
            record.Route?.Name ?? None,
            record.RequestedModel is null ? None : ClientText.Quote(record.RequestedModel),
            record.Upstream ?? None,
            Math.Round(record.Duration.TotalMilliseconds, 1),
            record.TimeToFirstByte is { } ttfb ? Math.Round(ttfb.TotalMilliseconds, 1).ToString(CultureInfo.InvariantCulture) : None,
            record.PromptTokens,
            record.CompletionTokens,
            record.TokensEstimated);
    }

    // Only what the route table knows is written: an exact route's path, a variable route's pattern (a model id or a
    // digest is a client's text), nothing for an unknown path.
    private static string LoggedPath(RequestRecord record) => record.Route switch
    {
        null => None,
        { Match: Routing.PathMatch.Exact } route => route.Path,
        var route => route.Name,
    };

    private static partial class Log
    {
        [LoggerMessage(5100, LogLevel.Information,
            "{Method} {Path} {Status} {Outcome} key={Key} reason={Reason} client={Client} route={Route} model={Model} upstream={Upstream} duration_ms={DurationMs} ttfb_ms={TtfbMs} prompt_tokens={PromptTokens} completion_tokens={CompletionTokens} estimated={Estimated}",
            EventName = "Request")]
        public static partial void Request(
            ILogger logger, string method, string path, int status, string outcome, string key, string reason, string client, string route,
            string model, string upstream, double durationMs, string ttfbMs, long promptTokens, long completionTokens, bool estimated);
    }
}
