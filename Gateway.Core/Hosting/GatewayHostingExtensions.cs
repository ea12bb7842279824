using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Forwarding;
using OllamaGateway.Limits;
using OllamaGateway.Pipeline;
using OllamaGateway.Routing;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;
using OllamaGateway.Usage.Metrics.Prometheus;
using OllamaGateway.Validation;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Hosting;

/// <summary>What a host calls to run the gateway: <see cref="AddGateway"/> at build time, <see cref="MapGateway"/> for Kestrel.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Registers the gateway from the <c>Gateway</c> configuration section. Both the Server's
    /// <c>WebApplicationBuilder</c> and the Functions worker's builder are <see cref="IHostApplicationBuilder"/>s,
    /// so both hosts share this one path. Settings are validated and the keys file is loaded at start-up:
    /// a bad value stops the host before any request is served. The framework's per-request log lines, which
    /// print URLs with their query strings, are off unless configuration asks for them.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        FrameworkLogLevels.AddTo(builder.Configuration);
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.AddHttpForwarder();
        services.TryAddSingleton<IForwarderHttpClientFactory, OllamaHttpClientFactory>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton<OllamaUpstream>();
        services.TryAddSingleton<PassthroughHandler>();
        services.TryAddSingleton<RequestGuardSettings>();
        services.TryAddSingleton<GuardedPassthroughHandler>();
        services.TryAddSingleton<BodyLimits>();
        services.TryAddSingleton<UpstreamFailureLog>();
        services.TryAddSingleton<TranslatedExchange>();
        services.TryAddSingleton<ModelsHandler>();
        services.TryAddSingleton<ReadinessProbe>();
        services.TryAddSingleton<GatewayHandlers>();
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<PrometheusCollector>();
        services.TryAddSingleton<MetricsHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestRecordSink, MetricsRecordSink>());
        services.TryAddSingleton<KeyLimiter>();
        services.TryAddSingleton<AuthFailureThrottle>();
        services.TryAddSingleton<RequestFraming>();
        services.TryAddSingleton(sp => new GatewayPipeline(
            sp.GetRequiredService<ApiKeyStore>(),
            sp.GetRequiredService<GatewayHandlers>(),
            sp.GetRequiredService<KeyLimiter>(),
            sp.GetRequiredService<AuthFailureThrottle>(),
            sp.GetRequiredService<RequestFraming>(),
            sp.GetServices<IRequestRecordSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GatewayPipeline>>()));
        services.AddHostedService<GatewayStartupCheck>();
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>((host, gateway) => host.ShutdownTimeout = gateway.Value.ShutdownDrainPeriod);
        return builder;
    }

    /// <summary>Hands every request to the gateway pipeline; the pipeline does its own routing.</summary>
    public static IApplicationBuilder MapGateway(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var pipeline = app.ApplicationServices.GetRequiredService<GatewayPipeline>();
        app.Run(context => pipeline.InvokeAsync(context, context.RequestAborted));
        return app;
    }
}
