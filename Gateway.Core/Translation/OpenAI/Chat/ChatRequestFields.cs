using OllamaGateway.Validation;
using OllamaGateway.Json;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// The one place that says which OpenAI chat request keys the gateway understands. A key that is in none of
/// these lists is refused with 400 naming it, so adding a feature starts by moving its key here and teaching
/// <see cref="ChatRequestTranslator"/> to map it. <c>logprobs</c> and <c>top_logprobs</c> are mapped onto Ollama's own
/// fields (since v0.12.11) and the per-token arrays mapped back into <c>logprobs.content</c> of the reply and of every
/// stream chunk; against an older Ollama, which ignores the fields, the reply then says <c>"content":[]</c>.
/// </summary>
internal static class ChatRequestFields
{
    /// <summary>Top-level keys that are translated into the Ollama request (or into <see cref="ChatTranslation"/>).</summary>
    public static readonly string[] Mapped =
    [
        "model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens",
        "max_completion_tokens", "stop", "seed", "presence_penalty", "frequency_penalty", "n", "user",
        "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort", "logprobs", "top_logprobs",
    ];

    /// <summary>
    /// Top-level keys that only steer OpenAI's platform (storage, billing tier, caching, abuse tracking): accepted
    /// and dropped, because they change nothing about the generated text.
    /// </summary>
    public static readonly string[] PlatformOnly =
    [
        "store", "metadata", "service_tier", "prompt_cache_key", "safety_identifier",
    ];

    /// <summary>Every top-level key the gateway knows (mapped or ignored); used to spot case variants.</summary>
    public static readonly FieldSet TopLevel = new([.. Mapped, .. PlatformOnly]);

    /// <summary>Keys of a message object. <c>name</c> is accepted and dropped, as Ollama's own layer does.</summary>
    public static readonly FieldSet Message = new("role", "content", "name", "tool_calls", "tool_call_id");

    /// <summary>
    /// Keys of a content part. <c>text</c> and <c>image_url</c> parts are translated; the payload keys of the other
    /// OpenAI part types are recognised so that the refusal names the part's <c>type</c>, not a stray key.
    /// </summary>
    public static readonly FieldSet ContentPart = new("type", "text", "image_url", "input_audio", "file", "refusal");

    /// <summary>Keys of <c>stream_options</c>; <c>include_obfuscation</c> is platform-only and ignored.</summary>
    public static readonly FieldSet StreamOptions = new("include_usage", "include_obfuscation");

    /// <summary>Keys of an <c>image_url</c> object.</summary>
    public static readonly FieldSet ImageUrl = new("url", "detail");

    /// <summary>Keys of a <c>tools[i]</c> entry and of a <c>tool_choice</c> object.</summary>
    public static readonly FieldSet Tool = new("type", "function");

    /// <summary>Keys of <c>tools[i].function</c>.</summary>
    public static readonly FieldSet ToolFunction = new("name", "description", "parameters", "strict");

    /// <summary>Keys of an assistant message's <c>tool_calls[j]</c>.</summary>
    public static readonly FieldSet ToolCall = new("id", "type", "function");

    /// <summary>Keys of <c>tool_calls[j].function</c>.</summary>
    public static readonly FieldSet ToolCallFunction = new("name", "arguments");

    /// <summary>Keys of <c>response_format</c>.</summary>
    public static readonly FieldSet ResponseFormat = new("type", "json_schema");

    /// <summary>Keys of <c>response_format.json_schema</c>.</summary>
    public static readonly FieldSet JsonSchema = new("name", "description", "schema", "strict");

    /// <summary>Whether <paramref name="name"/> (exact, case-sensitive) is a platform-only key to accept and drop.</summary>
    public static bool IsPlatformOnly(string name) => Array.IndexOf(PlatformOnly, name) >= 0;
}
