namespace OllamaGateway.Translation;

/// <summary>
/// One client API route translated to one native Ollama endpoint, both ways. The exchange (<c>TranslatedExchange</c>)
/// holds all of the I/O and calls these pure steps; a new API is a new translator and a row in the route table.
/// </summary>
internal interface IRouteTranslator
{
    /// <summary>Reads the client's body into the native request, or says why it is refused (a 400).</summary>
    (ITranslatedRequest? Request, TranslationError? Error) TranslateRequest(byte[] body);

    /// <summary>The translator of Ollama's NDJSON stream for one streamed answer.</summary>
    /// <param name="request">What <see cref="TranslateRequest"/> returned.</param>
    /// <param name="created">The answer's time, Unix seconds.</param>
    IStreamTranslator CreateStream(ITranslatedRequest request, long created);

    /// <summary>Translates Ollama's whole (non-streamed) answer.</summary>
    /// <param name="request">What <see cref="TranslateRequest"/> returned.</param>
    /// <param name="answer">Ollama's answer body (status 2xx).</param>
    /// <param name="created">The answer's time, Unix seconds.</param>
    TranslatedAnswer TranslateAnswer(ITranslatedRequest request, byte[] answer, long created);

    /// <summary>
    /// For APIs whose streams must show life while Ollama is silent (Anthropic's <c>ping</c>): how often. The exchange
    /// then opens the stream (status 200 and <see cref="IStreamTranslator.WriteKeepAlive"/>) before calling Ollama, so the
    /// client hears from the gateway while a model loads, and writes a keep-alive after every such interval without a
    /// line from Ollama. Null (the default): the stream opens with Ollama's first line and nothing is added.
    /// </summary>
    TimeSpan? StreamKeepAlive => null;
}
