namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>The kinds of output item the gateway produces.</summary>
internal enum ResponsesOutputKind
{
    /// <summary><c>reasoning</c>, from Ollama's thinking, as a summary.</summary>
    Reasoning,

    /// <summary><c>message</c> with one <c>output_text</c> part.</summary>
    Message,

    /// <summary><c>function_call</c>.</summary>
    FunctionCall,

    /// <summary><c>custom_tool_call</c>, for a call to a <c>custom</c> tool.</summary>
    CustomToolCall,
}
