namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Ids in Anthropic's style (reference §3): <c>msg_</c> and <c>toolu_</c> followed by 24 random letters and digits. They
/// label answers and calls and grant nothing, so they need to be unique, not unguessable.
/// </summary>
internal static class AnthropicIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int RandomLength = 24;

    /// <summary>A message id, <c>msg_…</c>.</summary>
    public static string Message() => New("msg_");

    /// <summary>
    /// A tool-use id, <c>toolu_…</c>. Ollama's own call ids (<c>call_…</c>) are not kept: the client only hands the id
    /// back in its <c>tool_result</c>, which the gateway matches against its own <c>tool_use</c> blocks.
    /// </summary>
    public static string ToolUse() => New("toolu_");

    private static string New(string prefix) =>
        string.Create(prefix.Length + RandomLength, prefix, static (id, prefix) =>
        {
            prefix.CopyTo(id);
            Random.Shared.GetItems(Alphabet, id[prefix.Length..]);
        });
}
