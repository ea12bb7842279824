namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// What the OpenAI exchange needs from any translated request, whatever the route: the model to check against the
/// key's allow-list, and the native body to guard and send.
/// </summary>
internal interface IOpenAITranslation
{
    /// <summary>The model exactly as the client sent it.</summary>
    string Model { get; }

    /// <summary>The native request body written by the translator.</summary>
    byte[] OllamaBody { get; }
}
