using Microsoft.AspNetCore.Http;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>A whole JSON answer the gateway wrote itself (a translation, a model list, a report), with status 200.</summary>
internal static class JsonAnswer
{
    /// <summary>Writes a whole JSON answer with status 200.</summary>
    public static async Task WriteAsync(HttpContext context, byte[] json, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        if (context.Features.Get<RequestRecord>() is { } record)
        {
            record.MarkFirstByte();
            record.ResponseBytes = json.Length;
        }

        await response.Body.WriteAsync(json, cancellationToken);
    }

}
