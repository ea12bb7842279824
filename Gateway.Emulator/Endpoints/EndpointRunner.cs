using Microsoft.AspNetCore.Http;
using OllamaGateway.Emulator.Json;
using OllamaGateway.Emulator.Recording;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>Turns <see cref="EmulatorRequestException"/> into Ollama's <c>{"error":"..."}</c> answer.</summary>
internal static class EndpointRunner
{
    public static RequestDelegate Wrap(Func<HttpContext, Task> handler) => async context =>
    {
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (EmulatorRequestException ex) when (!context.Response.HasStarted)
        {
            await JsonOutput.WriteErrorAsync(context.Response, ex.StatusCode, ex.Message, context.RequestAborted).ConfigureAwait(false);
        }
    };

    /// <summary>The body the recording middleware already read.</summary>
    public static byte[] Body(HttpContext context) => context.Features.Get<RecordedRequest>()?.Body ?? [];
}
