namespace OllamaGateway.Routing;

/// <summary>Which configured cap limits a route's request body; <see cref="BodyLimits"/> turns it into bytes.</summary>
internal enum BodyCap
{
    /// <summary><c>Gateway:MaxRequestBodyBytes</c>: JSON bodies the gateway reads whole to check or translate.</summary>
    Request,

    /// <summary><c>Gateway:MaxReadBodyBytes</c>: the small JSON bodies of read routes such as <c>/api/show</c>.</summary>
    Read,

    /// <summary><c>Gateway:MaxManagementBodyBytes</c> (no cap by default): admin blob uploads, streamed, never read.</summary>
    Upload,
}
