namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>Legacy <c>POST /v1/completions</c> ⇄ <c>POST /api/generate</c>: one object, or SSE chunks as Ollama produces them.</summary>
internal sealed class CompletionsTranslator : RouteTranslator<CompletionTranslation>
{
    /// <summary>The one instance: the translator is stateless.</summary>
    public static CompletionsTranslator Instance { get; } = new();

    /// <inheritdoc/>
    public override (CompletionTranslation? Request, TranslationError? Error) Translate(byte[] body) => CompletionRequestTranslator.Translate(body);

    /// <inheritdoc/>
    public override IStreamTranslator CreateStream(CompletionTranslation request, long created) =>
        new CompletionStreamTranslator(CompletionStreamTranslator.NewId(), created, request.Model, request.IncludeUsage);

    /// <inheritdoc/>
    public override TranslatedAnswer TranslateAnswer(CompletionTranslation request, byte[] answer, long created) =>
        CompletionResponseTranslator.TryTranslate(answer, CompletionStreamTranslator.NewId(), created, request.Model, out var json, out var problem, out var usage)
            ? new TranslatedAnswer(json, null, usage)
            : TranslatedAnswer.Unusable(problem);
}
