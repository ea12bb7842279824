using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OllamaGateway.Policy;

namespace OllamaGateway.Errors;

/// <summary>
/// The one place where a failure becomes an HTTP answer: the status code, and the body in the error
/// shape of the API the path belongs to — OpenAI's object on <c>/v1</c>, Ollama's string elsewhere.
/// </summary>
internal static class ErrorResponder
{
    public static Task WriteAsync(HttpContext context, ApiSurface surface, GatewayError error, string? message = null, string? param = null, string? allow = null, TimeSpan? retryAfter = null)
    {
        var (status, defaultMessage, type, code) = Describe(error, context.Request);
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

        return WriteAsync(response, surface, status, message ?? defaultMessage, type, param, code);
    }

    /// <summary>Writes an error with an explicit status, e.g. one Ollama returned, in the surface's shape.</summary>
    public static async Task WriteAsync(HttpResponse response, ApiSurface surface, int status, string message, string type, string? param, string? code)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            if (surface == ApiSurface.OpenAI)
            {
                OpenAIErrorJson.Write(writer, message, type, param, code);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("error"u8, message);
                writer.WriteEndObject();
            }
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }

    /// <summary>The OpenAI error type for a status, as OpenAI's own API and SDKs use them.</summary>
    public static string OpenAITypeFor(int status) => status switch
    {
        400 or 404 or 405 or 413 => "invalid_request_error",
        401 => "invalid_request_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "api_error",
    };

    private static (int Status, string Message, string Type, string? Code) Describe(GatewayError error, HttpRequest request) => error switch
    {
        GatewayError.MissingKey => (401, "Missing API key. Send it as 'Authorization: Bearer <key>', 'x-api-key' or 'api-key'.", "invalid_request_error", "invalid_api_key"),
        GatewayError.InvalidKey => (401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
        GatewayError.KeyExpired => (401, "The API key has expired.", "invalid_request_error", "invalid_api_key"),
        GatewayError.ModelForbidden => (403, "This key may not use the requested model.", "permission_error", "model_not_allowed"),
        GatewayError.RateLimited => (429, "Rate limit reached for this key. Try again later.", "rate_limit_error", "rate_limit_exceeded"),
        GatewayError.TooManyFailedAttempts => (429, "Too many failed authentication attempts. Try again later.", "rate_limit_error", "rate_limit_exceeded"),
        GatewayError.Forbidden => (403, "This key may not use model management endpoints.", "permission_error", "permission_denied"),
        GatewayError.RouteNotFound => (404, $"Unknown route: {request.Method} {request.Path.Value}", "invalid_request_error", "unknown_url"),
        GatewayError.MethodNotAllowed => (405, $"Method {request.Method} is not allowed on {request.Path.Value}.", "invalid_request_error", "method_not_allowed"),
        GatewayError.RequestBodyTooLarge => (413, "The request body is too large.", "invalid_request_error", "request_too_large"),
        GatewayError.AmbiguousFraming => (400, "A request may not carry both Content-Length and Transfer-Encoding.", "invalid_request_error", "invalid_framing"),
        GatewayError.InvalidRequest => (400, "The request is not valid.", "invalid_request_error", null),
        GatewayError.UpstreamUnavailable => (502, "Ollama is not reachable.", "api_error", "upstream_unavailable"),
        GatewayError.UpstreamTimeout => (504, "Ollama did not answer in time.", "api_error", "upstream_timeout"),
        GatewayError.UpstreamInvalidResponse => (502, "Ollama's answer could not be used.", "api_error", "upstream_invalid_response"),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
