using Microsoft.AspNetCore.Http;

namespace OllamaGateway.Pipeline;

/// <summary>The gateway's own liveness answer: it says the process serves, and never touches Ollama.</summary>
internal static class HealthResponder
{
    public static Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(response.HttpContext.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync("{\"status\":\"ok\"}"u8.ToArray(), cancellationToken).AsTask();
    }
}
