namespace OllamaGateway.Translation.Ollama;

/// <summary>One native chat message. Native <c>content</c> is a string only (text parts are joined before).</summary>
internal sealed record OllamaChatMessage
{
    /// <summary><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c> (OpenAI's <c>developer</c> arrives as <c>system</c>).</summary>
    public required string Role { get; init; }

    /// <summary>The text of the message; <c>""</c> for an assistant message that only calls tools.</summary>
    public required string Content { get; init; }

    /// <summary>
    /// On assistant messages: the model's earlier thinking (Anthropic <c>thinking</c> blocks, Responses <c>reasoning</c>
    /// items), so templates that render it see it again; null (omitted) otherwise.
    /// </summary>
    public string? Thinking { get; init; }

    /// <summary>
    /// Bare base64 of each image, without the <c>data:</c> prefix: native <c>images</c> is Go <c>[]byte</c>, so a
    /// data URI fails to decode there (400 <c>illegal base64 data</c>).
    /// </summary>
    public IReadOnlyList<string>? Images { get; init; }

    /// <summary>On assistant messages: earlier calls, with arguments as a JSON object (not OpenAI's string).</summary>
    public IReadOnlyList<OllamaToolCall>? ToolCalls { get; init; }

    /// <summary>On tool messages: the function whose result this is (native since v0.9.6; templates render it).</summary>
    public string? ToolName { get; init; }

    /// <summary>On tool messages: the call this result answers (native since Ollama v0.12.10).</summary>
    public string? ToolCallId { get; init; }
}
