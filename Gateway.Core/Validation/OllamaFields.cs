using OllamaGateway.Json;

namespace OllamaGateway.Validation;

/// <summary>
/// The field names of Ollama's request structs (<c>api/types.go</c>; wire reference §1.3–1.9), used to spot case
/// variants, and the fields the guard refuses outright.
/// </summary>
/// <remarks>
/// The lists only need to hold every field the guard reads or refuses plus the common rest: an unknown key passes
/// through untouched, and a case variant of a field the guard never inspects cannot change what policy decided.
/// </remarks>
internal static class OllamaFields
{
    /// <summary>
    /// Keys that would let a client choose where Ollama, or a future gateway feature, connects. Refused on every
    /// endpoint, compared by Go fold. <c>remote_host</c>/<c>remote_model</c> are Ollama's own (a model made with
    /// <c>remote_host</c> proxies inference to any URL: issue #16308, security reference §1.1/§1.2); the rest are
    /// the names LiteLLM, lollms and others took the upstream from (CVE-2024-6587 <c>api_base</c>, security
    /// reference §2.4): the upstream is configuration only.
    /// </summary>
    public static readonly FieldSet Connection = new(
        "remote_host", "remote_model", "host", "url", "base_url", "api_base", "api_url", "endpoint", "proxy");

    /// <summary>
    /// Deprecated <c>/api/create</c> fields refused there: <c>path</c> made Ollama read any server file
    /// (CVE-2024-39719 file-existence oracle, CVE-2024-39721 <c>/dev/random</c> hang), and <c>modelfile</c> text
    /// carries its own <c>FROM</c> line naming any registry, which the guard cannot vet without parsing Modelfiles.
    /// </summary>
    public static readonly FieldSet CreateRefused = new("path", "modelfile");

    /// <summary>The keys of a chat message (wire reference §1.3).</summary>
    public static readonly FieldSet Message = new(
        "role", "content", "thinking", "images", "tool_calls", "tool_name", "tool_call_id");

    /// <summary>Known options and the JSON type each must have (wire reference §1.9).</summary>
    public static readonly IReadOnlyDictionary<string, OptionKind> OptionKinds = new Dictionary<string, OptionKind>(StringComparer.Ordinal)
    {
        ["temperature"] = OptionKind.Number,
        ["top_p"] = OptionKind.Number,
        ["top_k"] = OptionKind.Number,
        ["min_p"] = OptionKind.Number,
        ["typical_p"] = OptionKind.Number,
        ["num_predict"] = OptionKind.Number,
        ["stop"] = OptionKind.StringArray,
        ["seed"] = OptionKind.Number,
        ["repeat_penalty"] = OptionKind.Number,
        ["repeat_last_n"] = OptionKind.Number,
        ["presence_penalty"] = OptionKind.Number,
        ["frequency_penalty"] = OptionKind.Number,
        ["num_keep"] = OptionKind.Number,
        ["num_ctx"] = OptionKind.Number,
        ["num_batch"] = OptionKind.Number,
        ["num_gpu"] = OptionKind.Number,
        ["main_gpu"] = OptionKind.Number,
        ["use_mmap"] = OptionKind.Boolean,
        ["num_thread"] = OptionKind.Number,
        ["draft_num_predict"] = OptionKind.Number,
    };

    /// <summary>The known option names as a <see cref="FieldSet"/>, for case variants.</summary>
    public static readonly FieldSet Options = new([.. OptionKinds.Keys]);

    private static readonly FieldSet Chat = new(
        "model", "messages", "tools", "format", "options", "stream", "keep_alive", "think", "truncate", "shift",
        "logprobs", "top_logprobs");

    private static readonly FieldSet Generate = new(
        "model", "prompt", "suffix", "system", "template", "context", "stream", "raw", "format", "keep_alive",
        "images", "options", "think", "truncate", "shift", "logprobs", "top_logprobs");

    private static readonly FieldSet Embed = new("model", "input", "truncate", "dimensions", "options", "keep_alive");

    private static readonly FieldSet Embeddings = new("model", "prompt", "options", "keep_alive");

    private static readonly FieldSet Show = new("model", "name", "system", "template", "verbose", "options");

    private static readonly FieldSet PullPush = new("model", "name", "insecure", "stream", "username", "password");

    // Without path and modelfile: those are refused in any letter case (CreateRefused) before case variants are looked for.
    private static readonly FieldSet Create = new(
        "model", "name", "stream", "quantize", "quantization", "from", "files", "adapters", "template", "license",
        "system", "parameters", "messages", "renderer", "parser", "requires", "info");

    private static readonly FieldSet Copy = new("source", "destination");

    private static readonly FieldSet Delete = new("model", "name");

    /// <summary>The top-level fields of <paramref name="endpoint"/>'s request.</summary>
    public static FieldSet TopLevel(OllamaEndpoint endpoint) => endpoint switch
    {
        OllamaEndpoint.Chat => Chat,
        OllamaEndpoint.Generate => Generate,
        OllamaEndpoint.Embed => Embed,
        OllamaEndpoint.Embeddings => Embeddings,
        OllamaEndpoint.Show => Show,
        OllamaEndpoint.Pull or OllamaEndpoint.Push => PullPush,
        OllamaEndpoint.Create => Create,
        OllamaEndpoint.Copy => Copy,
        OllamaEndpoint.Delete => Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
    };

    /// <summary>Whether the endpoint loads a model to run it, so the <see cref="RequestCaps"/> apply.</summary>
    public static bool IsInference(OllamaEndpoint endpoint) =>
        endpoint is OllamaEndpoint.Chat or OllamaEndpoint.Generate or OllamaEndpoint.Embed or OllamaEndpoint.Embeddings;

    /// <summary>
    /// Whether the endpoint's request struct has the deprecated <c>name</c> field next to <c>model</c>
    /// (Ollama reads <c>cmp.Or(model, name)</c>; wire reference §1.7/§1.8).
    /// </summary>
    public static bool HasNameAlias(OllamaEndpoint endpoint) =>
        endpoint is OllamaEndpoint.Show or OllamaEndpoint.Pull or OllamaEndpoint.Push or OllamaEndpoint.Create
            or OllamaEndpoint.Delete;
}
