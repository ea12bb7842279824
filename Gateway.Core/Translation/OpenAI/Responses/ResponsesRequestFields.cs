using OllamaGateway.Json;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// The one place that says which OpenAI Responses keys the gateway understands. A key in none of these lists is refused
/// with 400 naming it, as OpenAI's own API does.
/// </summary>
internal static class ResponsesRequestFields
{
    /// <summary>Top-level keys the translator reads (mapped, echoed, or refused by value).</summary>
    public static readonly string[] Mapped =
    [
        "model", "input", "instructions", "tools", "tool_choice", "temperature", "top_p", "max_output_tokens", "reasoning",
        "text", "stream", "user", "metadata", "parallel_tool_calls", "previous_response_id", "conversation", "background",
        "max_tool_calls", "top_logprobs", "prompt",
    ];

    /// <summary>
    /// Top-level keys that only steer OpenAI's platform (storage, caching, billing tier, what extra the answer includes,
    /// abuse tracking, stream obfuscation): accepted and dropped. Codex sends <c>store</c>, <c>include</c> and
    /// <c>prompt_cache_key</c> on every request. Nothing is ever stored.
    /// </summary>
    public static readonly string[] PlatformOnly =
    [
        "store", "include", "prompt_cache_key", "prompt_cache_retention", "service_tier", "truncation", "safety_identifier",
        "stream_options",
    ];

    /// <summary>Every top-level key the gateway knows; used to spot case variants.</summary>
    public static readonly FieldSet TopLevel = new([.. Mapped, .. PlatformOnly]);

    /// <summary>Keys of an input item, of every type the gateway reads; each type's check refuses keys it does not have.</summary>
    public static readonly FieldSet Item = new(
        "type", "id", "role", "content", "status", "call_id", "name", "arguments", "output", "input", "namespace",
        "summary", "encrypted_content", "action");

    /// <summary>Keys of a content part.</summary>
    public static readonly FieldSet Part = new("type", "text", "image_url", "file_id", "detail", "annotations", "logprobs", "refusal", "file_data", "filename", "file_url");

    /// <summary>Keys of a tool (function, custom and namespace tools, and the hosted tools named in refusals).</summary>
    public static readonly FieldSet Tool = new("type", "name", "description", "parameters", "strict", "format", "tools", "defer_loading");

    /// <summary>Keys of <c>reasoning</c>.</summary>
    public static readonly FieldSet Reasoning = new("effort", "summary", "generate_summary");

    /// <summary>Keys of <c>text</c>.</summary>
    public static readonly FieldSet Text = new("format", "verbosity");

    /// <summary>Keys of <c>text.format</c>.</summary>
    public static readonly FieldSet Format = new("type", "name", "schema", "strict", "description");

    /// <summary>Whether <paramref name="name"/> (exact) is a platform-only key to accept and drop.</summary>
    public static bool IsPlatformOnly(string name) => Array.IndexOf(PlatformOnly, name) >= 0;
}
