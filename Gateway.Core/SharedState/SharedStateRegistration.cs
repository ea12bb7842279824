using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Limits;
using OllamaGateway.Usage;

namespace OllamaGateway.SharedState;

/// <summary>
/// Registers the shared state when <c>Gateway:Redis:Configuration</c> is set: the connection (a hosted service, connected
/// before requests are served), the limits every instance shares, and the usage report over every instance. Unset,
/// nothing is registered and each instance keeps its own state.
/// </summary>
internal static class SharedStateRegistration
{
    public static void AddRedis(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, RedisOptionsValidator>());
        if (!IsConfigured(builder.Configuration))
        {
            return;
        }

        services.TryAddSingleton<RedisConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
        services.TryAddSingleton<RedisKeyLimits>();
        services.TryAddSingleton<IKeyLimits>(sp => sp.GetRequiredService<RedisKeyLimits>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestRecordSink, RedisKeyLimits>(sp => sp.GetRequiredService<RedisKeyLimits>()));
        services.TryAddSingleton<IUsageReportSource>(sp => new RedisUsageReportSource(sp.GetRequiredService<RedisConnection>()));
    }

    /// <summary>Whether the settings name a Redis.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{GatewayOptions.SectionName}:Redis:Configuration"]);
}
