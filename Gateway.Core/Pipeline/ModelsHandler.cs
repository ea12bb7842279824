using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Policy;
using OllamaGateway.Translation.Models;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>, both built from one <c>GET /api/tags</c>. The id is
/// the rest of the path, so ids with <c>/</c> and <c>:</c> work (Ollama's own route cannot do the former).
/// </summary>
internal sealed class ModelsHandler(OpenAIExchange exchange)
{
    private const string OllamaTags = "/api/tags";

    public async Task HandleAsync(HttpContext context, ApiKey key, string? modelId, CancellationToken cancellationToken)
    {
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await exchange.SendAsync(context, key, HttpMethod.Get, OllamaTags, null, activity, cancellationToken);
        var tags = upstreamResponse is null ? null : await exchange.ReadAnswerAsync(context, upstreamResponse, activity, cancellationToken);
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
            await exchange.WriteUnusableAnswerAsync(context, ex.Message);
            return;
        }

        if (json is null)
        {
            await ErrorResponder.WriteAsync(context.Response, ApiSurface.OpenAI, StatusCodes.Status404NotFound, $"The model '{modelId}' does not exist.", "invalid_request_error", "model", "model_not_found");
            return;
        }

        await OpenAIExchange.WriteJsonAsync(context, json, cancellationToken);
    }
}
