namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary><c>POST /v1/chat/completions</c> ⇄ <c>POST /api/chat</c>: one object, or SSE chunks as Ollama produces them.</summary>
internal sealed class ChatCompletionsTranslator : RouteTranslator<ChatTranslation>
{
    /// <summary>The one instance: the translator is stateless.</summary>
    public static ChatCompletionsTranslator Instance { get; } = new();

    /// <inheritdoc/>
    public override (ChatTranslation? Request, TranslationError? Error) Translate(byte[] body) => ChatRequestTranslator.Translate(body);

    /// <inheritdoc/>
    public override IStreamTranslator CreateStream(ChatTranslation request, long created) =>
        new ChatStreamTranslator(ChatStreamTranslator.NewId(), created, request.Model, request.IncludeUsage, request.Logprobs);

    /// <inheritdoc/>
    public override TranslatedAnswer TranslateAnswer(ChatTranslation request, byte[] answer, long created) =>
        ChatResponseTranslator.TryTranslate(answer, ChatStreamTranslator.NewId(), created, request.Model, request.Logprobs, out var json, out var problem, out var usage)
            ? new TranslatedAnswer(json, null, usage)
            : TranslatedAnswer.Unusable(problem);
}
