namespace OllamaGateway.Translation.Ollama;

/// <summary>One entry of a native chat line's <c>logprobs</c> array, or one of its <c>top_logprobs</c>.</summary>
/// <param name="Token">The token's text as Ollama wrote it.</param>
/// <param name="Logprob">Its log probability.</param>
/// <param name="Bytes">
/// The token's raw bytes; null when Ollama omitted them (Go's <c>omitempty</c>). Kept because a token can be part of a
/// multi-byte character, whose text alone then cannot say which bytes it was.
/// </param>
/// <param name="TopLogprobs">The most likely alternatives; empty when none were asked for, and always empty on an alternative.</param>
internal sealed record OllamaLineLogprob(string Token, double Logprob, byte[]? Bytes, IReadOnlyList<OllamaLineLogprob> TopLogprobs);
