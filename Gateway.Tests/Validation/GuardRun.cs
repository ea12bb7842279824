using System.Text;
using System.Text.Json.Nodes;
using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

/// <summary>Runs <see cref="OllamaRequestGuard"/> and asserts one of its two outcomes.</summary>
internal static class GuardRun
{
    public static readonly RequestCaps Caps = RequestCaps.Default;

    public static GuardedRequest Accept(OllamaEndpoint endpoint, string json, RequestCaps? caps = null, RegistryPolicy? registries = null) =>
        Accept(endpoint, Encoding.UTF8.GetBytes(json), caps, registries);

    public static GuardedRequest Accept(OllamaEndpoint endpoint, byte[] body, RequestCaps? caps = null, RegistryPolicy? registries = null)
    {
        var (request, error) = OllamaRequestGuard.Check(endpoint, body, caps ?? Caps, registries ?? RegistryPolicy.Default);
        Assert.True(error is null, $"Expected acceptance, got {error?.Status}: {error?.Message}");
        Assert.NotNull(request);
        return request;
    }

    /// <summary>Accepts and parses the forwarded body.</summary>
    public static JsonObject Body(OllamaEndpoint endpoint, string json, RequestCaps? caps = null, RegistryPolicy? registries = null) =>
        Parse(Accept(endpoint, json, caps, registries));

    public static JsonObject Parse(GuardedRequest request) =>
        JsonNode.Parse(request.Body)!.AsObject();

    public static GuardError Refuse(OllamaEndpoint endpoint, string json, int status = 400, RequestCaps? caps = null, RegistryPolicy? registries = null) =>
        Refuse(endpoint, Encoding.UTF8.GetBytes(json), status, caps, registries);

    public static GuardError Refuse(OllamaEndpoint endpoint, byte[] body, int status = 400, RequestCaps? caps = null, RegistryPolicy? registries = null)
    {
        var (request, error) = OllamaRequestGuard.Check(endpoint, body, caps ?? Caps, registries ?? RegistryPolicy.Default);
        Assert.Null(request);
        Assert.NotNull(error);
        Assert.Equal(status, error.Status);
        return error;
    }
}
