using OllamaGateway.Translation;
using OllamaGateway.Validation;

namespace OllamaGateway.Routing;

/// <summary>
/// One row of the route table (<see cref="GatewayRoutes"/>): everything the gateway decides about a request from its
/// method and path. Dispatch, body framing and caps, the request guard, admin checks, <c>Allow</c> headers and the
/// request record all read the row, so adding a route is adding a row.
/// </summary>
internal sealed class GatewayRoute
{
    /// <summary>The path, or for <see cref="PathMatch.BlobDigest"/> and <see cref="PathMatch.ModelId"/> its fixed prefix.</summary>
    public required string Path { get; init; }

    /// <summary>How <see cref="Path"/> is matched.</summary>
    public PathMatch Match { get; init; } = PathMatch.Exact;

    /// <summary>The methods the route takes, in the order the <c>Allow</c> header lists them.</summary>
    public required string[] Methods
    {
        get;
        init
        {
            field = value;
            Allow = string.Join(", ", value);
        }
    }

    /// <summary>The <c>Allow</c> header of a 405 on this path.</summary>
    public string Allow { get; private init; } = string.Empty;

    /// <summary>What the gateway does with the request.</summary>
    public required RouteKind Kind { get; init; }

    /// <summary>The API the path belongs to, and so the shape of its errors.</summary>
    public required ApiSurface Surface { get; init; }

    /// <summary>
    /// The native endpoint whose JSON body rules apply: the client's body on native routes, the translated body on
    /// translated ones. Null for routes without a JSON body (GET routes, blob uploads).
    /// </summary>
    public OllamaEndpoint? Endpoint { get; init; }

    /// <summary>The native path the gateway calls: the path itself on passthrough routes, the target of a translation.</summary>
    public string? OllamaPath { get; init; }

    /// <summary>Which configured cap limits the request body.</summary>
    public BodyCap BodyCap { get; init; } = BodyCap.Request;

    /// <summary>Whether only admin keys may use the route (model management).</summary>
    public bool RequiresAdmin { get; init; }

    /// <summary>Whether the answer lists models, so a key limited to some models sees only those.</summary>
    public bool ListsModels { get; init; }

    /// <summary>Translates the request and the answer on translated routes; null elsewhere.</summary>
    public IRouteTranslator? Translator { get; init; }

    /// <summary>
    /// The generative-AI operation (OpenTelemetry's <c>gen_ai.operation.name</c>: <c>chat</c>,
    /// <c>text_completion</c>, <c>embeddings</c>) on inference routes; null elsewhere.
    /// </summary>
    public string? Operation { get; init; }

    /// <summary>A stable, bounded name for logs and metrics: the path, with a placeholder for its variable part.</summary>
    public string Name => Match switch
    {
        PathMatch.BlobDigest => Path + "{digest}",
        PathMatch.ModelId => Path + "{id}",
        _ => Path,
    };

    /// <summary>Whether the route may be used without a key: only the gateway's own health and readiness.</summary>
    public bool IsAnonymous => Kind is RouteKind.Health or RouteKind.Readiness;

    /// <summary>Whether <paramref name="method"/> is one this route takes (exactly, as Ollama's router compares it).</summary>
    public bool Takes(string method)
    {
        foreach (var allowed in Methods)
        {
            if (string.Equals(method, allowed, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
