namespace OllamaGateway.Translation;

/// <summary>A whole native answer translated for the client: its JSON and usage, or why it could not be.</summary>
/// <param name="Json">The client's answer, or null when <paramref name="Problem"/> says why there is none.</param>
/// <param name="Problem">What was wrong with Ollama's answer (for the operator's log), when <paramref name="Json"/> is null.</param>
/// <param name="Usage">The token counts Ollama reported.</param>
internal readonly record struct TranslatedAnswer(byte[]? Json, string? Problem, TokenUsage Usage)
{
    /// <summary>An answer that could not be translated.</summary>
    public static TranslatedAnswer Unusable(string? problem) => new(null, problem, default);
}
