using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace OllamaGateway.Policy;

/// <summary>
/// The route table: a pure function of method and path. Paths match exactly and case-sensitively, as
/// Ollama's router does, so every variant (<c>//</c>, a trailing slash, <c>%2F</c>, other case) is simply
/// unknown and denied. The path decided on is the one forwarded: hosts pass <c>HttpRequest.Path</c>,
/// which the server has already percent-decoded and cleared of dot segments (security.md §2.1).
/// </summary>
internal static partial class RoutePolicy
{
    private static readonly FrozenDictionary<string, Route> s_routes = new Dictionary<string, Route>(StringComparer.Ordinal)
    {
        [GatewayPaths.Health] = new(RouteKind.Health, "GET", "HEAD"),
        [GatewayPaths.Readiness] = new(RouteKind.Readiness, "GET", "HEAD"),
        [GatewayPaths.ChatCompletions] = new(RouteKind.ChatCompletions, "POST"),
        [GatewayPaths.Completions] = new(RouteKind.Completions, "POST"),
        [GatewayPaths.Embeddings] = new(RouteKind.Embeddings, "POST"),
        [GatewayPaths.Models] = new(RouteKind.ModelList, "GET"),
        [GatewayPaths.OllamaChat] = new(RouteKind.NativeInference, "POST"),
        ["/api/generate"] = new(RouteKind.NativeInference, "POST"),
        ["/api/embed"] = new(RouteKind.NativeInference, "POST"),
        ["/api/embeddings"] = new(RouteKind.NativeInference, "POST"),
        ["/"] = new(RouteKind.NativeRead, "GET", "HEAD"),
        ["/api/tags"] = new(RouteKind.NativeRead, "GET", "HEAD"),
        ["/api/ps"] = new(RouteKind.NativeRead, "GET"),
        ["/api/version"] = new(RouteKind.NativeRead, "GET", "HEAD"),
        ["/api/show"] = new(RouteKind.NativeRead, "POST"),
        ["/api/pull"] = new(RouteKind.Management, "POST"),
        ["/api/push"] = new(RouteKind.Management, "POST"),
        ["/api/create"] = new(RouteKind.Management, "POST"),
        ["/api/copy"] = new(RouteKind.Management, "POST"),
        ["/api/delete"] = new(RouteKind.Management, "DELETE"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Route s_blobs = new(RouteKind.Management, "HEAD", "POST");
    private static readonly Route s_model = new(RouteKind.ModelRetrieve, "GET");

    public static RouteDecision Decide(string method, string? path)
    {
        path = string.IsNullOrEmpty(path) ? "/" : path;
        var surface = IsOpenAIPath(path) ? ApiSurface.OpenAI : ApiSurface.Ollama;
        if (!s_routes.TryGetValue(path, out var route))
        {
            route = PrefixRoute(path);
            if (route is null)
            {
                return new RouteDecision(RouteKind.NotFound, surface);
            }
        }

        foreach (var allowed in route.Methods)
        {
            if (string.Equals(method, allowed, StringComparison.Ordinal))
            {
                return new RouteDecision(route.Kind, surface);
            }
        }

        return new RouteDecision(RouteKind.MethodNotAllowed, surface, string.Join(", ", route.Methods));
    }

    private static Route? PrefixRoute(string path)
    {
        // Ollama's blob digests are sha256:<64 lowercase hex>; nothing else under /api/blobs/ exists.
        if (path.StartsWith(GatewayPaths.BlobsPrefix, StringComparison.Ordinal))
        {
            return BlobDigest().IsMatch(path.AsSpan(GatewayPaths.BlobsPrefix.Length)) ? s_blobs : null;
        }

        // The model id is only looked up in Ollama's list, never forwarded as a path.
        return path.Length > GatewayPaths.ModelPrefix.Length && path.StartsWith(GatewayPaths.ModelPrefix, StringComparison.Ordinal) ? s_model : null;
    }

    /// <summary>The model id of a <see cref="RouteKind.ModelRetrieve"/> path, with <c>%2F</c> and other escapes decoded.</summary>
    public static string ModelIdOf(string path) => Uri.UnescapeDataString(path[GatewayPaths.ModelPrefix.Length..]);

    private static bool IsOpenAIPath(string path) =>
        path.StartsWith(GatewayPaths.OpenAIPrefix, StringComparison.OrdinalIgnoreCase)
        && (path.Length == GatewayPaths.OpenAIPrefix.Length || path[GatewayPaths.OpenAIPrefix.Length] == '/');

    [GeneratedRegex("^sha256[:-][0-9a-f]{64}$")]
    private static partial Regex BlobDigest();

    private sealed record Route(RouteKind Kind, params string[] Methods);
}
