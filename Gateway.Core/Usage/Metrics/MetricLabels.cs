using System.Globalization;
using OllamaGateway.Errors;
using OllamaGateway.Policy;

namespace OllamaGateway.Usage.Metrics;

/// <summary>
/// The label values the gateway's metrics take from a request record. Every value comes from a bounded set — key names
/// and upstream names from configuration, routes from the route table, statuses and reasons from fixed lists, models
/// from what Ollama has actually served — so a client cannot create series by choosing what it sends.
/// </summary>
internal static class MetricLabels
{
    /// <summary>The key label of a request no key authenticated.</summary>
    public const string NoKey = "-";

    /// <summary>The route label of a path the route table does not know.</summary>
    public const string UnknownRoute = "unknown";

    /// <summary>The model label of a request Ollama did not serve: a client's made-up model name never becomes a label.</summary>
    public const string OtherModel = "other";

    /// <summary>The upstream label of a failure before an upstream was chosen.</summary>
    public const string NoUpstream = "-";

    /// <summary>OpenTelemetry's <c>gen_ai.provider.name</c> for every request: Ollama is not a listed value, custom values are allowed.</summary>
    public const string Provider = "ollama";

    private const string DefaultRegistryPrefix = "registry.ollama.ai/";
    private const string DefaultNamespacePrefix = "library/";

    private static readonly string[] s_statuses = [.. Enumerable.Range(0, 600).Select(status => status.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The status as a label; only HTTP's three-digit range exists, so anything else folds into one value.</summary>
    public static string Status(int status) => (uint)status < (uint)s_statuses.Length ? s_statuses[status] : "other";

    /// <summary>
    /// The model label: the model's name as Ollama lists it (<c>llama3.2:latest</c>, <c>alice/model:v1</c>) when Ollama
    /// served the request (it reached an upstream and the status is below 400), otherwise <see cref="OtherModel"/>.
    /// Names are folded as Ollama folds them, so <c>Llama3.2</c> and <c>llama3.2:latest</c> are one series.
    /// </summary>
    public static string Model(RequestRecord record) =>
        record is { Upstream: not null, Status: >= 200 and < 400, UpstreamModel: { Length: > 0 } model } ? Listed(model) : OtherModel;

    /// <summary>The reason label of a gateway error: its name in snake case (<c>rate_limited</c>, <c>upstream_timeout</c>).</summary>
    public static string Reason(GatewayError error) => error switch
    {
        GatewayError.None => "none",
        GatewayError.MissingKey => "missing_key",
        GatewayError.InvalidKey => "invalid_key",
        GatewayError.Forbidden => "forbidden",
        GatewayError.KeyExpired => "key_expired",
        GatewayError.ModelForbidden => "model_forbidden",
        GatewayError.RateLimited => "rate_limited",
        GatewayError.TooManyFailedAttempts => "too_many_failed_attempts",
        GatewayError.ModelNotFound => "model_not_found",
        GatewayError.RouteNotFound => "route_not_found",
        GatewayError.MethodNotAllowed => "method_not_allowed",
        GatewayError.RequestBodyTooLarge => "request_body_too_large",
        GatewayError.AmbiguousFraming => "ambiguous_framing",
        GatewayError.MalformedBody => "malformed_body",
        GatewayError.InvalidRequest => "invalid_request",
        GatewayError.UpstreamRefused => "upstream_refused",
        GatewayError.UpstreamUnavailable => "upstream_unavailable",
        GatewayError.UpstreamTimeout => "upstream_timeout",
        GatewayError.UpstreamInvalidResponse => "upstream_invalid_response",
        _ => "other",
    };

    /// <summary>
    /// Why a request counts as an upstream error, or null when it does not: Ollama unreachable, silent, broken off or
    /// unusable, or answering with a 5xx. Ollama's 4xx answers (an unknown model, a bad request) are the client's
    /// problem and count only in the requests' statuses.
    /// </summary>
    public static string? UpstreamError(RequestRecord record) => record.Outcome switch
    {
        RequestOutcome.Timeout => record.Reason == GatewayError.None ? "stream_idle_timeout" : Reason(record.Reason),
        RequestOutcome.UpstreamError when record.Reason == GatewayError.UpstreamRefused => record.Status >= 500 ? Reason(record.Reason) : null,
        RequestOutcome.UpstreamError => record.Reason == GatewayError.None ? "stream_broken" : Reason(record.Reason),

        // Native routes pass Ollama's own error answers through unchanged; the gateway's own 5xx always carry a reason.
        RequestOutcome.Completed when record is { Reason: GatewayError.None, Upstream: not null, Status: >= 500 } => Reason(GatewayError.UpstreamRefused),
        _ => null,
    };

    /// <summary>OpenTelemetry's <c>error.type</c> of a request that did not succeed, or null when it did.</summary>
    public static string? ErrorType(RequestRecord record) => record.Outcome switch
    {
        RequestOutcome.Completed when record.Status < 400 => null,
        RequestOutcome.ClientClosed => "client_closed",
        _ when record.Reason != GatewayError.None => Reason(record.Reason),
        RequestOutcome.Timeout => "stream_idle_timeout",
        RequestOutcome.UpstreamError => "stream_broken",
        _ => Status(record.Status),
    };

    // Ollama's short form, as /api/tags lists names: the default registry and namespace dropped, the tag kept.
    private static string Listed(string model)
    {
        var name = ModelName.Canonical(model);
        if (name.StartsWith(DefaultRegistryPrefix, StringComparison.Ordinal))
        {
            name = name[DefaultRegistryPrefix.Length..];
            if (name.StartsWith(DefaultNamespacePrefix, StringComparison.Ordinal))
            {
                name = name[DefaultNamespacePrefix.Length..];
            }
        }

        return name;
    }
}
