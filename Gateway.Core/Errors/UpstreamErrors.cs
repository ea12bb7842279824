using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OllamaGateway.Errors;

/// <summary>
/// What the gateway does to Ollama's own error answers, on passthrough and translated routes alike: which text a key
/// may see, and which retry hints go with the status.
/// </summary>
internal static class UpstreamErrors
{
    /// <summary>
    /// Whether Ollama's text for <paramref name="status"/> is hidden from a key that is not an admin: 5xx text can name
    /// internal paths, users and model directories (security.md §1.2, Ollama #13223). 4xx text (a missing model, a bad
    /// option) is the client's own business and stays.
    /// </summary>
    public static bool HidesText(int status) => status >= StatusCodes.Status500InternalServerError;

    /// <summary>The message that replaces hidden text.</summary>
    public static string HiddenMessage(int status) => status == StatusCodes.Status503ServiceUnavailable
        ? "Ollama is busy; try again shortly."
        : $"Ollama failed to process the request ({status}); details are in the gateway operator's logs.";

    /// <summary>
    /// Adds the retry hints for an error status: a full queue (503) is worth retrying shortly, so it gets
    /// <c>Retry-After: 1</c> unless Ollama set one (wire pitfall 27); with <paramref name="sdkHints"/> (the SDK-facing
    /// APIs), other 5xx answers get <c>x-should-retry: false</c>, since a bad option type or a crashed runner does not go
    /// away on retry and the SDKs retry 5xx twice unless told otherwise.
    /// </summary>
    public static void AddRetryHints(HttpResponse response, int status, bool sdkHints)
    {
        if (response.HasStarted)
        {
            // A stream opened before Ollama answered: its headers are gone, the error becomes an in-stream event.
            return;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            if (!response.Headers.ContainsKey(HeaderNames.RetryAfter))
            {
                response.Headers.RetryAfter = "1";
            }
        }
        else if (sdkHints && status >= StatusCodes.Status500InternalServerError)
        {
            response.Headers["x-should-retry"] = "false";
        }
    }
}
