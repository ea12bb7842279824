using Microsoft.AspNetCore.Http;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Hosting;

/// <summary>Gives unmatched routes gin's plain-text bodies: <c>404 page not found</c> and <c>405 method not allowed</c>.</summary>
internal sealed class StatusTextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context).ConfigureAwait(false);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            await JsonOutput.WriteTextAsync(response, 405, "405 method not allowed", context.RequestAborted).ConfigureAwait(false);
        }
        else if (response.StatusCode == StatusCodes.Status404NotFound && context.GetEndpoint() is null)
        {
            await JsonOutput.WriteTextAsync(response, 404, "404 page not found", context.RequestAborted).ConfigureAwait(false);
        }
    }
}
