using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Policy;
using OllamaGateway.Validation;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Pipeline;

/// <summary><c>POST /v1/chat/completions</c> ⇄ <c>POST /api/chat</c>: one object, or SSE chunks as Ollama produces them.</summary>
internal sealed partial class ChatCompletionsHandler(OpenAIExchange exchange, ILogger<ChatCompletionsHandler> logger)
{
    public Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken) =>
        exchange.ExchangeAsync(
            context,
            key,
            OllamaEndpoint.Chat,
            GatewayPaths.OllamaChat,
            body => ChatRequestTranslator.Translate(body),
            translation => translation.Stream
                ? new ChatStreamTranslator(ChatStreamTranslator.NewId(), exchange.Now(), translation.Model, translation.IncludeUsage, translation.Logprobs)
                : null,
            (translation, answer) => ChatResponseTranslator.TryTranslate(
                answer, ChatStreamTranslator.NewId(), exchange.Now(), translation.Model, translation.Logprobs, out var completion, out var problem)
                ? (completion, null)
                : (null, problem),
            translation => Log.Translating(logger, key.Name, translation.Model, translation.Stream, translation.User),
            cancellationToken);

    private static partial class Log
    {
        // OpenAI's 'user' is the client's end-user id: recorded here for attribution, never sent to Ollama.
        [LoggerMessage(3001, LogLevel.Information, "Key {KeyName}: chat completion for {Model} (stream: {Stream}, user: {EndUser}).", EventName = "ChatTranslating")]
        public static partial void Translating(ILogger logger, string keyName, string model, bool stream, string? endUser);
    }
}
