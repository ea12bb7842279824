using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Validation;
using OllamaGateway.Translation.OpenAI.Embeddings;

namespace OllamaGateway.Pipeline;

/// <summary><c>POST /v1/embeddings</c> ⇄ <c>POST /api/embed</c>, float or base64 vectors as the client asked.</summary>
internal sealed class EmbeddingsHandler(OpenAIExchange exchange)
{
    private const string OllamaEmbed = "/api/embed";

    public Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken) =>
        exchange.ExchangeAsync(
            context,
            key,
            OllamaEndpoint.Embed,
            OllamaEmbed,
            body => EmbeddingsRequestTranslator.Translate(body),
            streamTranslator: static _ => null, // Embeddings are never streamed.
            TranslateAnswer,
            accepted: null,
            cancellationToken);

    private static (byte[]? Json, string? Problem) TranslateAnswer(EmbeddingsTranslation translation, byte[] answer)
    {
        try
        {
            return (EmbeddingsResponseTranslator.Translate(answer, translation.Model, translation.Base64), null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
    }
}
