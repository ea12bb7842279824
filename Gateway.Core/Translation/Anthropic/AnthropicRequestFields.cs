using OllamaGateway.Json;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// The one place that says which Anthropic Messages keys the gateway understands. A key in none of these lists is
/// refused with 400 naming it (Anthropic's own API refuses unknown keys too, so clients only send keys it knows).
/// </summary>
internal static class AnthropicRequestFields
{
    /// <summary>Top-level keys translated into the native request (or into <see cref="AnthropicTranslation"/>).</summary>
    public static readonly string[] Mapped =
    [
        "model", "max_tokens", "messages", "system", "stream", "temperature", "top_p", "top_k", "stop_sequences",
        "tools", "tool_choice", "thinking", "metadata", "output_config", "output_format", "container", "mcp_servers",
    ];

    /// <summary>
    /// Top-level keys that only steer Anthropic's platform (prompt caching, context editing, billing tier, region,
    /// speed, diagnostics, beta opt-ins): accepted and dropped, because they change nothing the model writes here.
    /// Claude Code sends several of them on every request.
    /// </summary>
    public static readonly string[] PlatformOnly =
    [
        "cache_control", "context_management", "service_tier", "inference_geo", "speed", "diagnostics", "betas",
    ];

    /// <summary>Every top-level key the gateway knows (mapped or ignored); used to spot case variants.</summary>
    public static readonly FieldSet TopLevel = new([.. Mapped, .. PlatformOnly]);

    /// <summary>Keys of a <c>messages[i]</c> object.</summary>
    public static readonly FieldSet Message = new("role", "content");

    /// <summary>
    /// Keys of a content block, of every type the gateway reads; a block's own check refuses the ones its type does
    /// not have. <c>cache_control</c> is accepted anywhere; <c>citations</c> on a text block only marks where earlier
    /// text came from and is dropped.
    /// </summary>
    public static readonly FieldSet Block = new(
        "type", "text", "cache_control", "citations", "source", "id", "name", "input", "tool_use_id", "content", "is_error",
        "thinking", "signature", "data", "caller");

    /// <summary>Keys of an image block's <c>source</c>.</summary>
    public static readonly FieldSet ImageSource = new("type", "media_type", "data", "url", "file_id");

    /// <summary>
    /// Keys of a <c>tools[i]</c> entry. Besides the definition itself, the keys that tune how Anthropic's servers load
    /// or stream a tool (<c>cache_control</c>, <c>strict</c>, <c>defer_loading</c>, <c>input_examples</c>,
    /// <c>eager_input_streaming</c>, <c>allowed_callers</c>) are accepted and dropped: Ollama offers every tool whole.
    /// </summary>
    public static readonly FieldSet Tool = new(
        "type", "name", "description", "input_schema", "cache_control", "strict", "defer_loading", "input_examples",
        "eager_input_streaming", "allowed_callers");

    /// <summary>Keys of <c>tool_choice</c>.</summary>
    public static readonly FieldSet ToolChoice = new("type", "name", "disable_parallel_tool_use");

    /// <summary>Keys of <c>thinking</c>.</summary>
    public static readonly FieldSet Thinking = new("type", "budget_tokens", "display");

    /// <summary>Keys of <c>metadata</c>.</summary>
    public static readonly FieldSet Metadata = new("user_id");

    /// <summary>Keys of <c>output_config</c>.</summary>
    public static readonly FieldSet OutputConfig = new("effort", "format");

    /// <summary>Keys of <c>output_config.format</c> (and the older top-level <c>output_format</c>).</summary>
    public static readonly FieldSet OutputFormat = new("type", "schema");

    /// <summary>Whether <paramref name="name"/> (exact, case-sensitive) is a platform-only key to accept and drop.</summary>
    public static bool IsPlatformOnly(string name) => Array.IndexOf(PlatformOnly, name) >= 0;
}
