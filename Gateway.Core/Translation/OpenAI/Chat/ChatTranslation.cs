namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>Result of translating an OpenAI chat request into an Ollama <c>/api/chat</c> request.</summary>
/// <param name="Model">The model exactly as the client sent it (echoed back in responses).</param>
/// <param name="Stream">Whether the client asked for SSE; also written explicitly into <paramref name="OllamaBody"/>.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage</c>; only ever true when <paramref name="Stream"/> is.</param>
/// <param name="OllamaBody">The native request body, serialised by the gateway from validated values.</param>
/// <param name="User">OpenAI's <c>user</c> field, for accounting; never forwarded to Ollama.</param>
/// <param name="Logprobs">
/// <c>logprobs:true</c>: the reply carries a <c>logprobs</c> object (with <c>content:[]</c> if the upstream sent none,
/// so the client can tell "asked, none came" from "not asked"); otherwise it says <c>"logprobs":null</c>.
/// </param>
internal sealed record ChatTranslation(string Model, bool Stream, bool IncludeUsage, byte[] OllamaBody, string? User, bool Logprobs = false)
    : ITranslatedRequest
{
    /// <inheritdoc/>
    public string? EndUser => User;
}
