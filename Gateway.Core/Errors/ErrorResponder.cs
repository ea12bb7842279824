using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OllamaGateway.Usage;
using OllamaGateway.Routing;

namespace OllamaGateway.Errors;

/// <summary>
/// The one place where a failure becomes an HTTP answer: the status code, and the body in the error shape of the
/// API the route belongs to (<see cref="ErrorShapes"/>). It also notes on the request's <see cref="RequestRecord"/> why
/// the gateway answered this way.
/// </summary>
internal static class ErrorResponder
{
    // Messages quote client values through ClientText; these bounds keep any error body small whatever reached them.
    private const int MaxMessageLength = 1000;
    private const int MaxParamLength = 256;

    /// <summary>Answers with the gateway's own error <paramref name="error"/>, in the shape of <paramref name="surface"/>.</summary>
    public static Task WriteAsync(HttpContext context, ApiSurface surface, GatewayError error, string? message = null, string? param = null, string? allow = null, TimeSpan? retryAfter = null)
    {
        var (status, defaultMessage, code) = Describe(error, context.Request);
        var response = context.Response;
        if (error is GatewayError.MissingKey or GatewayError.InvalidKey or GatewayError.KeyExpired)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        if (allow is not null)
        {
            response.Headers.Allow = allow;
        }

        if (retryAfter is TimeSpan wait)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (error is GatewayError.AmbiguousFraming or GatewayError.MalformedBody)
        {
            // The body cannot be trusted to end where the server thinks: never reuse this connection.
            response.Headers.Connection = "close";
        }

        return WriteAsync(context, surface, status, message ?? defaultMessage, param, code, error);
    }

    /// <summary>
    /// Answers with an explicit status and message (the guard's, a translator's, Ollama's own), in the shape of
    /// <paramref name="surface"/>; <paramref name="reason"/> is what the request record notes.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, ApiSurface surface, int status, string message, string? param, string? code, GatewayError reason)
    {
        context.Features.Get<RequestRecord>()?.Fail(reason);
        var response = context.Response;
        if (response.HasStarted)
        {
            // Too late for a status: a stream opened early reports it as an in-stream error event instead.
            context.Features.Get<LateError>()?.Capture(status, message);
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            ErrorShapes.Write(writer, surface, status, Bound(message, MaxMessageLength), param is null ? null : Bound(param, MaxParamLength), code);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static string Bound(string text, int limit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");

    private static (int Status, string Message, string? Code) Describe(GatewayError error, HttpRequest request) => error switch
    {
        GatewayError.MissingKey => (401, "Missing API key. Send it as 'Authorization: Bearer <key>', 'x-api-key' or 'api-key'.", "invalid_api_key"),
        GatewayError.InvalidKey => (401, "Incorrect API key provided.", "invalid_api_key"),
        GatewayError.KeyExpired => (401, "The API key has expired.", "invalid_api_key"),
        GatewayError.ModelForbidden => (403, "This key may not use the requested model.", "model_not_allowed"),
        GatewayError.RateLimited => (429, "Rate limit reached for this key. Try again later.", "rate_limit_exceeded"),
        GatewayError.TokenBudgetSpent => (429, "Token budget spent for this key. Try again later.", "rate_limit_exceeded"),
        GatewayError.TooManyFailedAttempts => (429, "Too many failed authentication attempts. Try again later.", "rate_limit_exceeded"),
        GatewayError.Forbidden => (403, "This key may not use model management endpoints.", "permission_denied"),
        GatewayError.ModelNotFound => (404, "The model does not exist.", "model_not_found"),
        GatewayError.RouteNotFound => (404, $"Unknown route: {request.Method} {ClientText.Quote(request.Path.Value)}", "unknown_url"),
        GatewayError.MethodNotAllowed => (405, $"Method {ClientText.Quote(request.Method)} is not allowed on {ClientText.Quote(request.Path.Value)}.", "method_not_allowed"),
        GatewayError.RequestBodyTooLarge => (413, "The request body is too large.", "request_too_large"),
        GatewayError.AmbiguousFraming => (400, "A request may not carry both Content-Length and Transfer-Encoding.", "invalid_framing"),
        GatewayError.MalformedBody => (400, "The request body's framing is malformed (for example a bad chunk size).", "invalid_framing"),
        GatewayError.InvalidRequest => (400, "The request is not valid.", null),
        GatewayError.UpstreamRefused => (502, "Ollama refused the request.", null),
        GatewayError.UpstreamUnavailable => (502, "Ollama is not reachable.", "upstream_unavailable"),
        GatewayError.UpstreamTimeout => (504, "Ollama did not answer in time.", "upstream_timeout"),
        GatewayError.UpstreamInvalidResponse => (502, "Ollama's answer could not be used.", "upstream_invalid_response"),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
