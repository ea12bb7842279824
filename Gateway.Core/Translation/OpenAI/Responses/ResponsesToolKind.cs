namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>How a native function the model may call is answered back on the Responses side.</summary>
internal enum ResponsesToolKind
{
    /// <summary>A <c>function</c> tool: answered with a <c>function_call</c> item.</summary>
    Function,

    /// <summary>
    /// A <c>custom</c> (free-form) tool such as Codex's <c>apply_patch</c>: offered natively as a function with one string
    /// argument <c>input</c>, answered with a <c>custom_tool_call</c> item whose <c>input</c> is that string.
    /// </summary>
    Custom,
}
