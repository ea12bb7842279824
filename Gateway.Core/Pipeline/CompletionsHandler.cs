using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Validation;
using OllamaGateway.Translation.Completions;

namespace OllamaGateway.Pipeline;

/// <summary>Legacy <c>POST /v1/completions</c> ⇄ <c>POST /api/generate</c>: one object, or SSE chunks as Ollama produces them.</summary>
internal sealed class CompletionsHandler(OpenAIExchange exchange)
{
    private const string OllamaGenerate = "/api/generate";

    public async Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken)
    {
        var body = await exchange.ReadRequestAsync(context, cancellationToken);
        if (body is null)
        {
            return;
        }

        var (translation, error) = CompletionRequestTranslator.Translate(body);
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

        var ollamaBody = await exchange.GuardAsync(context, OllamaEndpoint.Generate, translation.OllamaBody);
        if (ollamaBody is null)
        {
            return;
        }

        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await exchange.SendAsync(context, key, HttpMethod.Post, OllamaGenerate, ollamaBody, activity, cancellationToken);
        if (upstreamResponse is null)
        {
            return;
        }

        if (translation.Stream)
        {
            var translator = new CompletionStreamTranslator(CompletionStreamTranslator.NewId(), exchange.Now(), translation.Model, translation.IncludeUsage);
            await exchange.StreamAsync(context, upstreamResponse, translator, activity, cancellationToken);
            return;
        }

        var answer = await exchange.ReadAnswerAsync(context, upstreamResponse, activity, cancellationToken);
        if (answer is null)
        {
            return;
        }

        if (!CompletionResponseTranslator.TryTranslate(answer, CompletionStreamTranslator.NewId(), exchange.Now(), translation.Model, out var completion, out var problem))
        {
            await exchange.WriteUnusableAnswerAsync(context, problem);
            return;
        }

        await OpenAIExchange.WriteJsonAsync(context, completion, cancellationToken);
    }
}
