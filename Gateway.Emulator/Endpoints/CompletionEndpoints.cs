using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OllamaGateway.Emulator.Generation;
using OllamaGateway.Emulator.Hosting;
using OllamaGateway.Emulator.Json;
using OllamaGateway.Emulator.Models;
using OllamaGateway.Emulator.Requests;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>
/// <c>POST /api/chat</c> and <c>POST /api/generate</c>. Order of checks as in Ollama: body and <c>model</c>
/// (400), model lookup (404 <c>model 'x' not found</c>), capabilities (400), load/unload on empty input,
/// typed options and <c>format</c> (500), then generation: NDJSON by default, one object with <c>stream:false</c>.
/// </summary>
internal static class CompletionEndpoints
{
    private static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromMinutes(5);

    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        routes.MapPost("/api/chat", EndpointRunner.Wrap(context =>
            RunAsync(context, state, ChatRequestReader.Read(EndpointRunner.Body(context)), ChatShape.Instance)));
        routes.MapPost("/api/generate", EndpointRunner.Wrap(context =>
            RunAsync(context, state, GenerateRequestReader.Read(EndpointRunner.Body(context)), GenerateShape.Instance)));
    }

    private static async Task RunAsync(HttpContext context, EmulatorState state, InferenceRequest request, ICompletionShape shape)
    {
        var options = state.Options;
        var cancellationToken = context.RequestAborted;
        var model = state.Catalog.Find(request.Model)
            ?? throw new EmulatorRequestException(404, $"model '{request.Model}' not found");
        CheckCapabilities(request, model, shape);

        var now = JsonOutput.FormatTime(options.TimeProvider.GetUtcNow());
        if (request.IsEmpty)
        {
            var unload = request.KeepAlive == TimeSpan.Zero;
            if (unload)
            {
                state.Catalog.Unload(model);
            }
            else
            {
                state.Catalog.MarkLoaded(model, request.KeepAlive ?? DefaultKeepAlive);
            }

            await JsonOutput.WriteJsonAsync(context.Response, 200,
                w => shape.WriteLoad(w, request.Model, now, unload ? "unload" : "load"), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Options.Error is not null)
        {
            throw new EmulatorRequestException(500, request.Options.Error);
        }

        if (request.FormatError is not null)
        {
            throw new EmulatorRequestException(500, request.FormatError);
        }

        state.Catalog.MarkLoaded(model, request.KeepAlive ?? DefaultKeepAlive);
        var started = Stopwatch.GetTimestamp();
        var plan = ReplyPlanner.Plan(request, model, options, shape == ChatShape.Instance);
        var errorAfter = options.MidStreamErrorAfterLines;
        var errorMessage = options.MidStreamErrorMessage;

        if (!request.Stream)
        {
            // Ollama generates everything, then answers; a runner error becomes a 500.
            for (var i = 1; i < plan.Pieces.Count; i++)
            {
                await DelayAsync(options, cancellationToken).ConfigureAwait(false);
            }

            if (errorAfter is not null)
            {
                throw new EmulatorRequestException(500, errorMessage);
            }

            var metrics = CompletionMetrics.Create(request.PromptTokens, plan.EvalCount, Stopwatch.GetElapsedTime(started));
            await JsonOutput.WriteJsonAsync(context.Response, 200,
                w => shape.WriteFinal(w, request, now, plan, plan.DoneReason, metrics, Context(request, plan)),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            JsonOutput.StartNdjson(context.Response);
            for (var i = 0; i < plan.Pieces.Count; i++)
            {
                if (i > 0)
                {
                    await DelayAsync(options, cancellationToken).ConfigureAwait(false);
                }

                if (options.StallAfterLines == i)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }

                if (options.DropAfterLines == i)
                {
                    context.Abort();
                    return;
                }

                if (errorAfter == i)
                {
                    await WriteErrorLineAsync(context, errorMessage).ConfigureAwait(false);
                    return;
                }

                var piece = plan.Pieces[i];
                var createdAt = JsonOutput.FormatTime(options.TimeProvider.GetUtcNow());
                await JsonOutput.WriteLineAsync(context.Response,
                    w => shape.WritePiece(w, request, createdAt, piece), cancellationToken).ConfigureAwait(false);
            }

            if (errorAfter is not null)
            {
                await WriteErrorLineAsync(context, errorMessage).ConfigureAwait(false);
                return;
            }

            var metrics = CompletionMetrics.Create(request.PromptTokens, plan.EvalCount, Stopwatch.GetElapsedTime(started));
            var finalAt = JsonOutput.FormatTime(options.TimeProvider.GetUtcNow());
            await JsonOutput.WriteLineAsync(context.Response,
                w => shape.WriteFinal(w, request, finalAt, null, plan.DoneReason, metrics, Context(request, plan)),
                cancellationToken).ConfigureAwait(false);
        }

        if (request.KeepAlive == TimeSpan.Zero)
        {
            state.Catalog.Unload(model);
        }
    }

    private static void CheckCapabilities(InferenceRequest request, EmulatorModel model, ICompletionShape shape)
    {
        if (!model.Has("completion"))
        {
            throw new EmulatorRequestException(400, $"\"{request.Model}\" does not support {shape.Name}");
        }

        if (request.ToolNames.Count > 0 && !model.Has("tools"))
        {
            throw new EmulatorRequestException(400, $"{ModelCatalog.FullName(model)} does not support tools");
        }

        if (request.Think == true && !model.Has("thinking"))
        {
            throw new EmulatorRequestException(400, $"\"{request.Model}\" does not support thinking");
        }

        if (request.HasSuffix && !model.Has("insert"))
        {
            throw new EmulatorRequestException(400, $"{ModelCatalog.FullName(model)} does not support insert");
        }
    }

    private static Task WriteErrorLineAsync(HttpContext context, string message) =>
        JsonOutput.WriteLineAsync(context.Response, w => JsonOutput.WriteErrorObject(w, message), context.RequestAborted);

    private static Task DelayAsync(EmulatorOptions options, CancellationToken cancellationToken) =>
        options.TokenDelay > TimeSpan.Zero
            ? Task.Delay(options.TokenDelay, options.TimeProvider, cancellationToken)
            : Task.CompletedTask;

    /// <summary>The deprecated <c>context</c> of <c>/api/generate</c>: stable fake token ids, one per prompt and reply token.</summary>
    private static int[] Context(InferenceRequest request, ReplyPlan plan) =>
        [.. Enumerable.Range(1, request.PromptTokens + plan.EvalCount).Select(i => (i * 7919 % 128000) + 1)];
}
