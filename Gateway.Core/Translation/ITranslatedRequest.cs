namespace OllamaGateway.Translation;

/// <summary>
/// What the exchange needs from any translated request, whatever its API: the model to check against the key's
/// allow-list, the native body to guard and send, and whether the client asked for a stream.
/// </summary>
internal interface ITranslatedRequest
{
    /// <summary>The model exactly as the client sent it.</summary>
    string Model { get; }

    /// <summary>The native request body written by the translator.</summary>
    byte[] OllamaBody { get; }

    /// <summary>Whether the client asked for a streamed answer.</summary>
    bool Stream { get; }

    /// <summary>The client's end-user id (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>), for attribution only.</summary>
    string? EndUser { get; }

    /// <summary>
    /// The whole JSON answer when the gateway answers the request itself, without Ollama (Anthropic's
    /// <c>count_tokens</c> estimate); null (the default) when Ollama is called.
    /// </summary>
    byte[]? LocalAnswer => null;
}
