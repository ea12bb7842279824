using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI.Embeddings;

/// <summary><c>POST /v1/embeddings</c> ⇄ <c>POST /api/embed</c>, float or base64 vectors as the client asked.</summary>
internal sealed class EmbeddingsTranslator : RouteTranslator<EmbeddingsTranslation>
{
    /// <summary>The one instance: the translator is stateless.</summary>
    public static EmbeddingsTranslator Instance { get; } = new();

    /// <inheritdoc/>
    public override (EmbeddingsTranslation? Request, TranslationError? Error) Translate(byte[] body) => EmbeddingsRequestTranslator.Translate(body);

    /// <summary>Never called: embeddings are never streamed (<see cref="EmbeddingsTranslation.Stream"/> is false).</summary>
    public override IStreamTranslator CreateStream(EmbeddingsTranslation request, long created) =>
        throw new InvalidOperationException("Embeddings are never streamed.");

    /// <inheritdoc/>
    public override TranslatedAnswer TranslateAnswer(EmbeddingsTranslation request, byte[] answer, long created)
    {
        try
        {
            var json = EmbeddingsResponseTranslator.Translate(answer, request.Model, request.Base64, out var promptTokens);
            return new TranslatedAnswer(json, null, new TokenUsage(promptTokens, 0));
        }
        catch (JsonException ex)
        {
            return TranslatedAnswer.Unusable(ex.Message);
        }
    }
}
