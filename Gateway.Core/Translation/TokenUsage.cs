namespace OllamaGateway.Translation;

/// <summary>Token counts as Ollama reports them: <c>prompt_eval_count</c> and <c>eval_count</c>.</summary>
/// <param name="PromptTokens">Tokens of the prompt Ollama evaluated.</param>
/// <param name="CompletionTokens">Tokens Ollama generated.</param>
internal readonly record struct TokenUsage(long PromptTokens, long CompletionTokens);
