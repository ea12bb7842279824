using System.Text.Json;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Ollama's end of an answer as Anthropic's <c>stop_reason</c> (reference §1.7): a tool call in the turn wins
/// (<c>tool_use</c>), a length cut is <c>max_tokens</c>, anything else <c>end_turn</c>. Ollama does not say whether a stop
/// sequence ended the answer (its <c>done_reason</c> is <c>stop</c> either way), so <c>stop_sequence</c> is never reported.
/// </summary>
internal static class AnthropicStopReason
{
    /// <summary><c>end_turn</c>.</summary>
    public static readonly JsonEncodedText EndTurn = JsonEncodedText.Encode("end_turn");

    /// <summary><c>max_tokens</c>.</summary>
    public static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");

    /// <summary><c>tool_use</c>.</summary>
    public static readonly JsonEncodedText ToolUse = JsonEncodedText.Encode("tool_use");

    /// <summary>The stop reason for a turn that made <paramref name="toolCalls"/> calls and ended as it did.</summary>
    public static JsonEncodedText Of(bool stoppedForLength, int toolCalls) =>
        toolCalls > 0 ? ToolUse : stoppedForLength ? MaxTokens : EndTurn;
}
