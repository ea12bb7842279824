using Microsoft.AspNetCore.Http;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Hosting;

/// <summary>
/// For <c>/api/*</c>: waits <see cref="EmulatorOptions.ResponseDelay"/> before anything is written (slow first
/// byte, as while Ollama loads a model), then answers with an injected failure if one is pending.
/// </summary>
internal sealed class FaultMiddleware(RequestDelegate next, EmulatorState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var delay = state.Options.ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, state.Options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
        }

        if (state.Faults.TryTake(out var statusCode, out var message))
        {
            await JsonOutput.WriteErrorAsync(context.Response, statusCode, message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
