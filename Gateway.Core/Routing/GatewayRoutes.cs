using System.Collections.Frozen;
using System.Text.RegularExpressions;
using OllamaGateway.Translation.Anthropic;
using OllamaGateway.Translation.OpenAI.Chat;
using OllamaGateway.Translation.OpenAI.Completions;
using OllamaGateway.Translation.OpenAI.Embeddings;
using OllamaGateway.Translation.OpenAI.Responses;
using OllamaGateway.Validation;

namespace OllamaGateway.Routing;

/// <summary>
/// The route table: every path the gateway knows, one row each, and the pure function from method and path to a row.
/// Paths match exactly and case-sensitively, as Ollama's router does, so every variant (<c>//</c>, a trailing slash,
/// <c>%2F</c>, other case) is simply unknown and denied (default deny: Ollama is never contacted for it). The path
/// matched is the one forwarded: hosts pass <c>HttpRequest.Path</c>, which the server has already percent-decoded
/// and cleared of dot segments (security.md §2.1).
/// </summary>
internal static partial class GatewayRoutes
{
    private const string Get = "GET";
    private const string Head = "HEAD";
    private const string Post = "POST";
    private const string Delete = "DELETE";
    private const string OpenAIPrefix = "/v1";
    private const string AnthropicPrefix = "/v1/messages";

    /// <summary>The gateway's own liveness endpoint.</summary>
    public static GatewayRoute Health { get; } = Own("/healthz", RouteKind.Health);

    /// <summary>The gateway's own readiness endpoint.</summary>
    public static GatewayRoute Readiness { get; } = Own("/readyz", RouteKind.Readiness);

    /// <summary><c>GET /v1/models/{id}</c>: the id is the rest of the path.</summary>
    public static GatewayRoute ModelRetrieve { get; } = new()
    {
        Path = "/v1/models/", Match = PathMatch.ModelId, Methods = [Get], Kind = RouteKind.ModelRetrieve,
        Surface = ApiSurface.OpenAI, OllamaPath = "/api/tags", ListsModels = true,
    };

    /// <summary><c>/api/blobs/sha256:…</c>: admin blob uploads, streamed to Ollama unread.</summary>
    public static GatewayRoute Blobs { get; } = new()
    {
        Path = "/api/blobs/", Match = PathMatch.BlobDigest, Methods = [Head, Post], Kind = RouteKind.Management,
        Surface = ApiSurface.Ollama, OllamaPath = null, BodyCap = BodyCap.Upload, RequiresAdmin = true,
    };

    /// <summary>Every row, exact paths first.</summary>
    public static IReadOnlyList<GatewayRoute> All { get; } =
    [
        Health,
        Readiness,

        // OpenAI, translated to Ollama's native API and back.
        Translated("/v1/chat/completions", RouteKind.ChatCompletions, OllamaEndpoint.Chat, "/api/chat", "chat", ChatCompletionsTranslator.Instance),
        Translated("/v1/completions", RouteKind.Completions, OllamaEndpoint.Generate, "/api/generate", "text_completion", CompletionsTranslator.Instance),
        Translated("/v1/embeddings", RouteKind.Embeddings, OllamaEndpoint.Embed, "/api/embed", "embeddings", EmbeddingsTranslator.Instance),
        Translated("/v1/responses", RouteKind.Responses, OllamaEndpoint.Chat, "/api/chat", "chat", ResponsesTranslator.Instance),

        // Anthropic's Messages API, translated to Ollama's native chat and back. Claude Code adds ?beta=true: the
        // query is not part of the path, so it needs nothing here.
        Translated("/v1/messages", RouteKind.AnthropicMessages, OllamaEndpoint.Chat, "/api/chat", "chat", AnthropicMessagesTranslator.Instance, ApiSurface.Anthropic),
        Translated("/v1/messages/count_tokens", RouteKind.AnthropicCountTokens, OllamaEndpoint.Chat, "/api/chat", operation: null, AnthropicCountTokensTranslator.Instance, ApiSurface.Anthropic),
        new()
        {
            Path = "/v1/models", Methods = [Get], Kind = RouteKind.ModelList, Surface = ApiSurface.OpenAI,
            OllamaPath = "/api/tags", ListsModels = true,
        },
        ModelRetrieve,

        // Ollama's native API, checked and passed through.
        Native("/api/chat", [Post], RouteKind.NativeInference, OllamaEndpoint.Chat, operation: "chat"),
        Native("/api/generate", [Post], RouteKind.NativeInference, OllamaEndpoint.Generate, operation: "text_completion"),
        Native("/api/embed", [Post], RouteKind.NativeInference, OllamaEndpoint.Embed, operation: "embeddings"),
        Native("/api/embeddings", [Post], RouteKind.NativeInference, OllamaEndpoint.Embeddings, operation: "embeddings"),
        Native("/", [Get, Head], RouteKind.NativeRead),
        Native("/api/tags", [Get, Head], RouteKind.NativeRead, listsModels: true),
        Native("/api/ps", [Get], RouteKind.NativeRead, listsModels: true),
        Native("/api/version", [Get, Head], RouteKind.NativeRead),
        Native("/api/show", [Post], RouteKind.NativeRead, OllamaEndpoint.Show, BodyCap.Read),

        // The gateway's own: metrics for Prometheus, usage reports.
        Own("/metrics", RouteKind.Metrics, [Get]),
        Own("/gateway/usage", RouteKind.UsageReport, [Get]),
        Own("/gateway/usage/me", RouteKind.OwnUsageReport, [Get]),

        // Model management: admin keys only.
        Native("/api/pull", [Post], RouteKind.Management, OllamaEndpoint.Pull),
        Native("/api/push", [Post], RouteKind.Management, OllamaEndpoint.Push),
        Native("/api/create", [Post], RouteKind.Management, OllamaEndpoint.Create),
        Native("/api/copy", [Post], RouteKind.Management, OllamaEndpoint.Copy),
        Native("/api/delete", [Delete], RouteKind.Management, OllamaEndpoint.Delete),
        Blobs,
    ];

    private static readonly FrozenDictionary<string, GatewayRoute> s_exact =
        All.Where(route => route.Match == PathMatch.Exact).ToFrozenDictionary(route => route.Path, StringComparer.Ordinal);

    /// <summary>The row for a request, or why there is none.</summary>
    public static RouteMatch Match(string method, string? path)
    {
        path = string.IsNullOrEmpty(path) ? "/" : path;
        var surface = SurfaceOf(path);
        if (!s_exact.TryGetValue(path, out var route))
        {
            route = PrefixRoute(path);
            if (route is null)
            {
                return new RouteMatch(null, RouteKind.NotFound, surface);
            }
        }

        return route.Takes(method)
            ? new RouteMatch(route, route.Kind, route.Surface)
            : new RouteMatch(route, RouteKind.MethodNotAllowed, route.Surface);
    }

    /// <summary>The model id of a <see cref="RouteKind.ModelRetrieve"/> path, with <c>%2F</c> and other escapes decoded.</summary>
    public static string ModelIdOf(string path) => Uri.UnescapeDataString(path[ModelRetrieve.Path.Length..]);

    private static GatewayRoute? PrefixRoute(string path)
    {
        // Ollama's blob digests are sha256:<64 lowercase hex>; nothing else under /api/blobs/ exists.
        if (path.StartsWith(Blobs.Path, StringComparison.Ordinal))
        {
            return BlobDigest().IsMatch(path.AsSpan(Blobs.Path.Length)) ? Blobs : null;
        }

        // The model id is only looked up in Ollama's list, never forwarded as a path.
        return path.Length > ModelRetrieve.Path.Length && path.StartsWith(ModelRetrieve.Path, StringComparison.Ordinal) ? ModelRetrieve : null;
    }

    /// <summary>
    /// The API a path belongs to even when no row matches it, so that a 404 is in the shape its client reads:
    /// Anthropic's under <c>/v1/messages</c> (an SDK's batches or a newer endpoint), OpenAI's elsewhere under <c>/v1</c>.
    /// </summary>
    private static ApiSurface SurfaceOf(string path) =>
        IsUnder(path, AnthropicPrefix) ? ApiSurface.Anthropic
        : IsUnder(path, OpenAIPrefix) ? ApiSurface.OpenAI
        : ApiSurface.Ollama;

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (path.Length == prefix.Length || path[prefix.Length] == '/');

    private static GatewayRoute Own(string path, RouteKind kind, string[]? methods = null) =>
        new() { Path = path, Methods = methods ?? [Get, Head], Kind = kind, Surface = ApiSurface.Ollama };

    private static GatewayRoute Translated(
        string path, RouteKind kind, OllamaEndpoint endpoint, string ollamaPath, string? operation, Translation.IRouteTranslator translator, ApiSurface surface = ApiSurface.OpenAI) =>
        new()
        {
            Path = path, Methods = [Post], Kind = kind, Surface = surface, Endpoint = endpoint,
            OllamaPath = ollamaPath, Operation = operation, Translator = translator,
        };

    private static GatewayRoute Native(
        string path, string[] methods, RouteKind kind, OllamaEndpoint? endpoint = null, BodyCap? cap = null, string? operation = null, bool listsModels = false) =>
        new()
        {
            Path = path, Methods = methods, Kind = kind, Surface = ApiSurface.Ollama, Endpoint = endpoint, OllamaPath = path,
            BodyCap = cap ?? (kind == RouteKind.NativeRead ? BodyCap.Read : BodyCap.Request), RequiresAdmin = kind == RouteKind.Management,
            Operation = operation, ListsModels = listsModels,
        };

    [GeneratedRegex("^sha256[:-][0-9a-f]{64}$")]
    private static partial Regex BlobDigest();
}
