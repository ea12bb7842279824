using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// The request values a response object repeats (OpenAI echoes its parameters in every response, and the SDKs read
/// them): kept as the client sent them, already checked.
/// </summary>
internal sealed record ResponsesEcho
{
    /// <summary><c>instructions</c>.</summary>
    public string? Instructions { get; init; }

    /// <summary><c>max_output_tokens</c>.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary><c>temperature</c>.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_p</c>.</summary>
    public double? TopP { get; init; }

    /// <summary><c>parallel_tool_calls</c>; true when absent, as OpenAI answers.</summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary><c>tools</c> as sent, or null.</summary>
    public JsonElement? Tools { get; init; }

    /// <summary><c>tool_choice</c> as sent, or null (echoed as <c>"auto"</c>).</summary>
    public JsonElement? ToolChoice { get; init; }

    /// <summary><c>text</c> as sent, or null (echoed as <c>{"format":{"type":"text"}}</c>).</summary>
    public JsonElement? Text { get; init; }

    /// <summary><c>reasoning</c> as sent, or null.</summary>
    public JsonElement? Reasoning { get; init; }

    /// <summary><c>metadata</c> as sent, or null (echoed as <c>{}</c>).</summary>
    public JsonElement? Metadata { get; init; }
}
