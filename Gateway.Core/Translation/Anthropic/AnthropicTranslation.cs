namespace OllamaGateway.Translation.Anthropic;

/// <summary>An Anthropic Messages request translated into an Ollama <c>/api/chat</c> request.</summary>
/// <param name="Model">The model exactly as the client sent it (echoed back in the answer).</param>
/// <param name="Stream">Whether the client asked for SSE.</param>
/// <param name="OllamaBody">The native request body, written by the gateway from checked values.</param>
/// <param name="EndUser"><c>metadata.user_id</c>, for attribution only; never sent to Ollama.</param>
/// <param name="LocalAnswer">For <c>count_tokens</c>: the gateway's whole answer; Ollama is not called.</param>
internal sealed record AnthropicTranslation(string Model, bool Stream, byte[] OllamaBody, string? EndUser, byte[]? LocalAnswer = null)
    : ITranslatedRequest;
