using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Validation;
using OllamaGateway.Translation.OpenAI.Completions;

namespace OllamaGateway.Pipeline;

/// <summary>Legacy <c>POST /v1/completions</c> ⇄ <c>POST /api/generate</c>: one object, or SSE chunks as Ollama produces them.</summary>
internal sealed class CompletionsHandler(OpenAIExchange exchange)
{
    private const string OllamaGenerate = "/api/generate";

    public Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken) =>
        exchange.ExchangeAsync(
            context,
            key,
            OllamaEndpoint.Generate,
            OllamaGenerate,
            body => CompletionRequestTranslator.Translate(body),
            translation => translation.Stream
                ? new CompletionStreamTranslator(CompletionStreamTranslator.NewId(), exchange.Now(), translation.Model, translation.IncludeUsage)
                : null,
            (translation, answer) => CompletionResponseTranslator.TryTranslate(
                answer, CompletionStreamTranslator.NewId(), exchange.Now(), translation.Model, out var completion, out var problem)
                ? (completion, null)
                : (null, problem),
            accepted: null,
            cancellationToken);
}
