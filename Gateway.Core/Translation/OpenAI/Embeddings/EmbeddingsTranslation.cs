namespace OllamaGateway.Translation.OpenAI.Embeddings;

/// <summary>
/// A checked <c>POST /v1/embeddings</c> request, rewritten for <c>POST /api/embed</c>.
/// </summary>
/// <param name="Model">The model exactly as the client wrote it; OpenAI's response echoes it, and policy checks it.</param>
/// <param name="Base64">
/// <see langword="true"/> when the client asked for <c>encoding_format: "base64"</c>. The official SDKs ask for it by
/// default and decode little-endian float32 themselves (wire reference §2.6, pitfall 18).
/// </param>
/// <param name="InputCount">How many texts were sent upstream; Ollama answers with one vector per text, in order.</param>
/// <param name="OllamaBody">UTF-8 JSON for <c>/api/embed</c>: <c>{"model","input":[...],"dimensions"?}</c>.</param>
/// <param name="User">OpenAI's end-user tag, kept for accounting; Ollama has no such field so it is not forwarded.</param>
internal sealed record EmbeddingsTranslation(string Model, bool Base64, int InputCount, byte[] OllamaBody, string? User) : ITranslatedRequest
{
    /// <summary>Embeddings are never streamed.</summary>
    public bool Stream => false;

    /// <inheritdoc/>
    public string? EndUser => User;
}
