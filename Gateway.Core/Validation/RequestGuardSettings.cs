using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;

namespace OllamaGateway.Validation;

/// <summary>The guard's caps and registry policy, built once from the gateway options.</summary>
internal sealed class RequestGuardSettings(IOptions<GatewayOptions> options)
{
    public RequestCaps Caps { get; } = new(options.Value.MaxNumPredict, options.Value.MaxNumCtx, options.Value.MaxKeepAlive);

    public RegistryPolicy Registries { get; } = new(
        options.Value.AllowedRegistries.Length == 0 ? RegistryPolicy.Default.AllowedRegistries : options.Value.AllowedRegistries,
        options.Value.AllowInsecureRegistries);

    public (GuardedRequest? Request, GuardError? Error) Check(OllamaEndpoint endpoint, ReadOnlySpan<byte> body) =>
        OllamaRequestGuard.Check(endpoint, body, Caps, Registries);
}
