namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>An OpenAI Responses request translated into an Ollama <c>/api/chat</c> request.</summary>
/// <param name="Model">The model exactly as the client sent it (echoed back).</param>
/// <param name="Stream">Whether the client asked for SSE.</param>
/// <param name="OllamaBody">The native request body, written by the gateway from checked values.</param>
/// <param name="EndUser">OpenAI's <c>user</c>, for attribution only; never sent to Ollama.</param>
/// <param name="Echo">What the response object repeats of the request.</param>
/// <param name="Tools">Native function name → how a call to it is answered; names not in it are plain function calls.</param>
internal sealed record ResponsesTranslation(
    string Model, bool Stream, byte[] OllamaBody, string? EndUser, ResponsesEcho Echo, IReadOnlyDictionary<string, ResponsesTool> Tools)
    : ITranslatedRequest;
