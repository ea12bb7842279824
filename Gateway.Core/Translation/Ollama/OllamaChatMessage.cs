namespace OllamaGateway.Translation.Ollama;

/// <summary>One native chat message. Native <c>content</c> is a string only (text parts are joined before).</summary>
internal sealed record OllamaChatMessage
{
    /// <summary><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c> (OpenAI's <c>developer</c> arrives as <c>system</c>).</summary>
    public required string Role { get; init; }

    /// <summary>The text of the message.</summary>
    public required string Content { get; init; }

    /// <summary>On tool messages: the call this result answers (native since Ollama v0.12.10).</summary>
    public string? ToolCallId { get; init; }
}
