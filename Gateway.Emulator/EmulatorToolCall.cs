namespace OllamaGateway.Emulator;

/// <summary>
/// A tool call the emulator answers with when a chat request carries <c>tools</c>
/// (see <see cref="EmulatorOptions.ToolCallReply"/>).
/// </summary>
public sealed record EmulatorToolCall
{
    /// <summary>
    /// Function name to call. When <see langword="null"/>, the first tool in the request is used.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>The arguments as a JSON object text, written as an object (not a string) on the wire.</summary>
    public string ArgumentsJson { get; init; } = "{}";

    /// <summary>
    /// Text the model writes before the call (such as "I'll look that up."), streamed as content lines ahead of the
    /// tool-call line, as Ollama streams a model that talks before it calls. Null: the call comes alone.
    /// </summary>
    public string? Preamble { get; init; }
}
