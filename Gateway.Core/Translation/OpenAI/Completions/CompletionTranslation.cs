namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>Result of translating an OpenAI legacy completion request into an Ollama <c>/api/generate</c> request.</summary>
/// <param name="Model">The model exactly as the client sent it (echoed back in responses).</param>
/// <param name="Stream">Whether the client asked for SSE; also written explicitly into <paramref name="OllamaBody"/>.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage</c>; only ever true when <paramref name="Stream"/> is.</param>
/// <param name="OllamaBody">The native request body, serialised by the gateway from validated values.</param>
/// <param name="User">OpenAI's <c>user</c> field, for accounting; never forwarded to Ollama.</param>
internal sealed record CompletionTranslation(string Model, bool Stream, bool IncludeUsage, byte[] OllamaBody, string? User) : ITranslatedRequest
{
    /// <inheritdoc/>
    public string? EndUser => User;
}
