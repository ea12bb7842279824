using System.Text.Json;

namespace OllamaGateway.Errors;

/// <summary>
/// Writes Anthropic's error object, <c>{"type":"error","error":{"type":..,"message":..}}</c>: the body of every error
/// answer on <c>/v1/messages</c> and the data of its in-stream <c>error</c> event. The SDKs pick their exception class by
/// the HTTP status and read <c>error.type</c> and <c>error.message</c>; there is no <c>param</c> or <c>code</c>.
/// </summary>
internal static class AnthropicErrorJson
{
    private static readonly JsonEncodedText s_type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText s_error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText s_message = JsonEncodedText.Encode("message");

    /// <summary>
    /// Anthropic's error type for a status, as its errors page lists them (platform.claude.com/docs/en/api/errors):
    /// 400 <c>invalid_request_error</c> (and any other 4xx without its own type), 401 <c>authentication_error</c>, 402
    /// <c>billing_error</c>, 403 <c>permission_error</c>, 404 <c>not_found_error</c>, 413 <c>request_too_large</c>, 429
    /// <c>rate_limit_error</c>, 503 and 529 <c>overloaded_error</c> (Ollama's 503 is its full queue), 504
    /// <c>timeout_error</c>, and <c>api_error</c> for every other failure.
    /// </summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };

    /// <summary>Writes <c>{"type":"error","error":{"type":..,"message":..}}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, string type, string message)
    {
        writer.WriteStartObject();
        writer.WriteString(s_type, s_error);
        writer.WriteStartObject(s_error);
        writer.WriteString(s_type, type);
        writer.WriteString(s_message, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
