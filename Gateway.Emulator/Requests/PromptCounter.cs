namespace OllamaGateway.Emulator.Requests;

/// <summary>
/// The emulator's deterministic <c>prompt_eval_count</c>: the number of whitespace-separated words in every
/// message's content (chat) or in <c>system</c> + <c>prompt</c> (generate), plus 4 per message (chat) or 4
/// once (generate) for the template's role markers. Embeddings count the words of each input, at least 1.
/// </summary>
internal static class PromptCounter
{
    public const int TemplateTokensPerMessage = 4;

    public static int Words(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
