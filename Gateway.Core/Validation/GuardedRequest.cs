namespace OllamaGateway.Validation;

/// <summary>
/// A body that passed <see cref="OllamaRequestGuard"/>: the bytes to forward (written by the gateway, never the
/// client's) and the model names policy must check.
/// </summary>
/// <param name="Body">The re-serialised JSON object to send to Ollama.</param>
/// <param name="Model">
/// The model the request runs or manages, as the client wrote it; null for <see cref="OllamaEndpoint.Copy"/>,
/// which names two models and has no single one (check <paramref name="Models"/>).
/// </param>
/// <param name="Models">
/// Every model name the request names, each of which policy must allow: the model, plus <c>from</c> on create,
/// or <c>source</c> and <c>destination</c> on copy.
/// </param>
internal sealed record GuardedRequest(byte[] Body, string? Model, IReadOnlyList<string> Models);
