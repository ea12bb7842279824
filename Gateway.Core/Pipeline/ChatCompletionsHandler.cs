using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Policy;
using OllamaGateway.Validation;
using OllamaGateway.Translation;

namespace OllamaGateway.Pipeline;

/// <summary><c>POST /v1/chat/completions</c> ⇄ <c>POST /api/chat</c>: one object, or SSE chunks as Ollama produces them.</summary>
internal sealed partial class ChatCompletionsHandler(OpenAIExchange exchange, ILogger<ChatCompletionsHandler> logger)
{
    public async Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken)
    {
        var body = await exchange.ReadRequestAsync(context, cancellationToken);
        if (body is null)
        {
            return;
        }

        var (translation, error) = ChatRequestTranslator.Translate(body);
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

        var ollamaBody = await exchange.GuardAsync(context, OllamaEndpoint.Chat, translation.OllamaBody);
        if (ollamaBody is null)
        {
            return;
        }

        Log.Translating(logger, key.Name, translation.Model, translation.Stream, translation.User);
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await exchange.SendAsync(context, key, HttpMethod.Post, GatewayPaths.OllamaChat, ollamaBody, activity, cancellationToken);
        if (upstreamResponse is null)
        {
            return;
        }

        if (translation.Stream)
        {
            var translator = new ChatStreamTranslator(ChatStreamTranslator.NewId(), exchange.Now(), translation.Model, translation.IncludeUsage);
            await exchange.StreamAsync(context, upstreamResponse, translator, activity, cancellationToken);
            return;
        }

        var answer = await exchange.ReadAnswerAsync(context, upstreamResponse, activity, cancellationToken);
        if (answer is null)
        {
            return;
        }

        if (!ChatResponseTranslator.TryTranslate(answer, ChatStreamTranslator.NewId(), exchange.Now(), translation.Model, out var completion, out var problem))
        {
            await exchange.WriteUnusableAnswerAsync(context, problem);
            return;
        }

        await OpenAIExchange.WriteJsonAsync(context, completion, cancellationToken);
    }

    private static partial class Log
    {
        // OpenAI's 'user' is the client's end-user id: recorded here for attribution, never sent to Ollama.
        [LoggerMessage(3001, LogLevel.Information, "Key {KeyName}: chat completion for {Model} (stream: {Stream}, user: {EndUser}).", EventName = "ChatTranslating")]
        public static partial void Translating(ILogger logger, string keyName, string model, bool stream, string? endUser);
    }
}
