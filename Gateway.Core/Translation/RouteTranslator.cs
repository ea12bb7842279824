namespace OllamaGateway.Translation;

/// <summary>
/// <see cref="IRouteTranslator"/> for translators whose request has its own type: the exchange only ever hands back
/// what <see cref="TranslateRequest"/> returned, so the casts here cannot fail.
/// </summary>
/// <typeparam name="TRequest">The route's translated request.</typeparam>
internal abstract class RouteTranslator<TRequest> : IRouteTranslator
    where TRequest : class, ITranslatedRequest
{
    /// <inheritdoc cref="IRouteTranslator.TranslateRequest"/>
    public abstract (TRequest? Request, TranslationError? Error) Translate(byte[] body);

    /// <inheritdoc cref="IRouteTranslator.CreateStream"/>
    public abstract IStreamTranslator CreateStream(TRequest request, long created);

    /// <inheritdoc cref="IRouteTranslator.TranslateAnswer"/>
    public abstract TranslatedAnswer TranslateAnswer(TRequest request, byte[] answer, long created);

    /// <inheritdoc/>
    public (ITranslatedRequest? Request, TranslationError? Error) TranslateRequest(byte[] body) => Translate(body);

    IStreamTranslator IRouteTranslator.CreateStream(ITranslatedRequest request, long created) => CreateStream((TRequest)request, created);

    TranslatedAnswer IRouteTranslator.TranslateAnswer(ITranslatedRequest request, byte[] answer, long created) =>
        TranslateAnswer((TRequest)request, answer, created);
}
