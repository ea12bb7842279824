namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// <c>POST /v1/responses</c> (OpenAI Responses API, stateless) ⇄ <c>POST /api/chat</c>: one <c>response</c> object, or the
/// Responses SSE events as Ollama produces them.
/// </summary>
internal sealed class ResponsesTranslator : RouteTranslator<ResponsesTranslation>
{
    /// <summary>The one instance: the translator is stateless.</summary>
    public static ResponsesTranslator Instance { get; } = new();

    /// <inheritdoc/>
    public override (ResponsesTranslation? Request, TranslationError? Error) Translate(byte[] body) => ResponsesRequestTranslator.Translate(body);

    /// <inheritdoc/>
    public override IStreamTranslator CreateStream(ResponsesTranslation request, long created) =>
        new ResponsesStreamTranslator(request, ResponsesIds.Response(), created);

    /// <inheritdoc/>
    public override TranslatedAnswer TranslateAnswer(ResponsesTranslation request, byte[] answer, long created) =>
        ResponsesResponseTranslator.Translate(answer, request, ResponsesIds.Response(), created);
}
