using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Routing;
using OllamaGateway.Translation.OpenAI.Models;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>, both built from one <c>GET /api/tags</c>. The id is
/// the rest of the path, so ids with <c>/</c> and <c>:</c> work (Ollama's own route cannot do the former).
/// </summary>
internal sealed class ModelsHandler(OllamaCall ollama, MergedModelList lists)
{
    public async Task HandleAsync(HttpContext context, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        var modelId = route.Kind == RouteKind.ModelRetrieve ? GatewayRoutes.ModelIdOf(context.Request.Path.Value!) : null;
        var tags = lists.IsMerged(context)
            ? await lists.FetchAsync(context, route.Surface, route.OllamaPath!, cancellationToken)
            : await FetchAsync(context, key, route, cancellationToken);
        if (tags is null)
        {
            return;
        }

        byte[]? json;
        try
        {
            // A model the key may not use is reported as absent, not forbidden: its existence is not the key's business.
            Func<string, bool> filter = key.Models.Allows;
            json = modelId is null ? ModelsTranslator.TranslateList(tags, filter) : ModelsTranslator.TranslateOne(tags, modelId, filter);
        }
        catch (JsonException ex)
        {
            await ollama.WriteUnusableAnswerAsync(context, route.Surface, ex.Message);
            return;
        }

        if (json is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.ModelNotFound, $"The model '{ClientText.Quote(modelId)}' does not exist.", param: "model");
            return;
        }

        await JsonAnswer.WriteAsync(context, json, cancellationToken);
    }

    // One server's /api/tags (the only one, or the one the request names).
    private async Task<byte[]?> FetchAsync(HttpContext context, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await ollama.SendAsync(context, route.Surface, key, HttpMethod.Get, route.OllamaPath!, null, activity, cancellationToken);
        return upstreamResponse is null ? null : await ollama.ReadAnswerAsync(context, route.Surface, upstreamResponse, activity, cancellationToken);
    }
}
