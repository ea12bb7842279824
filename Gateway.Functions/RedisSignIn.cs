using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OllamaGateway.SharedState;
using StackExchange.Redis;

namespace OllamaGateway.Functions;

/// <summary>
/// Entra ID for the gateway's Redis on Azure: when <c>Gateway__Redis__Configuration</c> names an Azure Cache for Redis
/// or Azure Managed Redis host and no password (what the Bicep template writes with <c>redisUseEntraId=true</c>), the
/// gateway signs in with the app's managed identity (<c>AZURE_CLIENT_ID</c> names a user-assigned one).
/// </summary>
public static class RedisSignIn
{
    /// <summary>The scope of Entra ID tokens for Azure's Redis services.</summary>
    public const string Scope = "https://redis.azure.com/.default";

    private static readonly string[] s_azureHosts = [".redis.cache.windows.net", ".redis.azure.net", ".redisenterprise.cache.azure.net"];

    /// <summary>Registers the managed identity's tokens for Redis when the configuration asks for them.</summary>
    public static IHostApplicationBuilder AddRedisSignIn(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (UsesEntraId(builder.Configuration["Gateway:Redis:Configuration"]))
        {
            var clientId = builder.Configuration["AZURE_CLIENT_ID"];
            var credential = new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
            builder.Services.AddSingleton<IRedisTokenSource>(new EntraIdRedisTokenSource(credential));
        }

        return builder;
    }

    /// <summary>Whether a configuration string names an Azure Redis host and no password: then Entra ID signs in.</summary>
    public static bool UsesEntraId(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return false;
        }

        var options = ConfigurationOptions.Parse(configuration);
        return string.IsNullOrEmpty(options.Password) && options.EndPoints.Count > 0 && options.EndPoints.All(endpoint =>
            endpoint is System.Net.DnsEndPoint dns && s_azureHosts.Any(suffix => dns.Host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// The object id (<c>oid</c> claim) of the identity an Entra ID access token was issued to: Azure's Redis services
    /// take it as the user name. Null when the token is not a JWT carrying one.
    /// </summary>
    public static string? ObjectIdOf(string accessToken)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        var parts = accessToken.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
            return document.RootElement.TryGetProperty("oid", out var oid) && oid.ValueKind == JsonValueKind.String ? oid.GetString() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
