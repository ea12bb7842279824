using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Validation;
using OllamaGateway.Translation.Embeddings;

namespace OllamaGateway.Pipeline;

/// <summary><c>POST /v1/embeddings</c> ⇄ <c>POST /api/embed</c>, float or base64 vectors as the client asked.</summary>
internal sealed class EmbeddingsHandler(OpenAIExchange exchange)
{
    private const string OllamaEmbed = "/api/embed";

    public async Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken)
    {
        var body = await exchange.ReadRequestAsync(context, cancellationToken);
        if (body is null)
        {
            return;
        }

        var (translation, error) = EmbeddingsRequestTranslator.Translate(body);
        if (translation is null)
        {
            await OpenAIExchange.WriteTranslationErrorAsync(context, error!);
            return;
        }

        if (!key.Models.Allows(translation.Model))
        {
            await OpenAIExchange.WriteModelForbiddenAsync(context, translation.Model);
            return;
        }

        var ollamaBody = await exchange.GuardAsync(context, OllamaEndpoint.Embed, translation.OllamaBody);
        if (ollamaBody is null)
        {
            return;
        }

        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await exchange.SendAsync(context, key, HttpMethod.Post, OllamaEmbed, ollamaBody, activity, cancellationToken);
        var answer = upstreamResponse is null ? null : await exchange.ReadAnswerAsync(context, upstreamResponse, activity, cancellationToken);
        if (answer is null)
        {
            return;
        }

        byte[] json;
        try
        {
            json = EmbeddingsResponseTranslator.Translate(answer, translation.Model, translation.Base64);
        }
        catch (JsonException ex)
        {
            await exchange.WriteUnusableAnswerAsync(context, ex.Message);
            return;
        }

        await OpenAIExchange.WriteJsonAsync(context, json, cancellationToken);
    }
}
