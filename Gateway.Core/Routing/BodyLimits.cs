using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;

namespace OllamaGateway.Routing;

/// <summary>The byte limits behind each <see cref="BodyCap"/>, read once from the gateway options.</summary>
internal sealed class BodyLimits(IOptions<GatewayOptions> options)
{
    private readonly GatewayOptions _options = options.Value;

    /// <summary>The cap of a request on no known route: the largest body any JSON route reads.</summary>
    public long Default => _options.MaxRequestBodyBytes;

    /// <summary>The most bytes a body of <paramref name="route"/> may have, or null for no cap.</summary>
    public long? For(GatewayRoute route) => route.BodyCap switch
    {
        BodyCap.Read => _options.MaxReadBodyBytes,
        BodyCap.Upload => _options.MaxManagementBodyBytes,
        _ => _options.MaxRequestBodyBytes,
    };
}
