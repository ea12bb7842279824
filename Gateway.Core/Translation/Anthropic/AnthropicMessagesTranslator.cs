namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c> (Anthropic Messages API) ⇄ <c>POST /api/chat</c>: one message object, or Anthropic's SSE
/// events as Ollama produces them, with <c>ping</c>s while Ollama is silent.
/// </summary>
internal sealed class AnthropicMessagesTranslator : RouteTranslator<AnthropicTranslation>, IRouteTranslator
{
    /// <summary>
    /// How often a stream shows life while Ollama is silent (loading a model, reading a long prompt, building a tool
    /// call): within the 10–15 s the reference suggests (§1.5), well inside any client's idle limit.
    /// </summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    /// <summary>The one instance: the translator is stateless.</summary>
    public static AnthropicMessagesTranslator Instance { get; } = new();

    /// <inheritdoc/>
    public TimeSpan? StreamKeepAlive => PingInterval;

    /// <inheritdoc/>
    public override (AnthropicTranslation? Request, TranslationError? Error) Translate(byte[] body) => AnthropicRequestTranslator.Translate(body);

    /// <inheritdoc/>
    public override IStreamTranslator CreateStream(AnthropicTranslation request, long created) =>
        new AnthropicStreamTranslator(AnthropicIds.Message(), request.Model);

    /// <inheritdoc/>
    public override TranslatedAnswer TranslateAnswer(AnthropicTranslation request, byte[] answer, long created) =>
        AnthropicResponseTranslator.Translate(answer, AnthropicIds.Message(), request.Model);
}
