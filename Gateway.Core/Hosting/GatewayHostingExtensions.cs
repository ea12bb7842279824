using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
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
using OllamaGateway.SharedState;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;
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
        services.AddOptions<UpstreamSetOptions>().BindConfiguration(GatewayOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, UpstreamSetValidator>());
        services.AddHttpForwarder();
        services.TryAddSingleton<IForwarderHttpClientFactory, OllamaHttpClientFactory>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton<UpstreamSet>();
        services.TryAddSingleton<UpstreamMonitor>();
        services.TryAddSingleton<UpstreamRouter>();
        services.TryAddSingleton<MergedModelList>();
        services.TryAddSingleton<ModelListHandler>();
        services.TryAddSingleton<PassthroughHandler>();
        services.TryAddSingleton<RequestGuardSettings>();
        services.TryAddSingleton<GuardedPassthroughHandler>();
        services.TryAddSingleton<BodyLimits>();
        services.TryAddSingleton<OllamaCall>();
        services.TryAddSingleton<TranslatedStream>();
        services.TryAddSingleton<TranslatedExchange>();
        services.TryAddSingleton<ModelsHandler>();
        services.TryAddSingleton<ReadinessProbe>();
        services.TryAddSingleton<GatewayHandlers>();
        services.AddMetrics();
        services.TryAddSingleton(sp =>
        {
            // Per-upstream series read the upstream set's state when Prometheus or an exporter collects.
            var metrics = new GatewayMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
            var upstreams = sp.GetRequiredService<UpstreamSet>();
            metrics.ObserveUpstreams(() => upstreams.Statuses().Select(status => new UpstreamObservation(status.Name, status.Healthy, status.InFlight)));
            return metrics;
        });
        services.TryAddSingleton<PrometheusCollector>();
        services.TryAddSingleton<MetricsHandler>();
        services.TryAddSingleton<UsageReportHandler>();
        services.TryAddSingleton<KeyLimiter>();
        services.TryAddSingleton<AuthFailureThrottle>();
        services.TryAddSingleton<ITokenBudget, InProcessTokenBudget>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestRecordSink, TokenBudgetSink>());
        services.TryAddSingleton<InProcessKeyLimits>();
        SharedStateRegistration.AddRedis(builder);
        services.TryAddSingleton<IKeyLimits>(sp => sp.GetRequiredService<InProcessKeyLimits>());
        services.TryAddSingleton<RequestFraming>();
        services.TryAddSingleton(sp => new GatewayPipeline(
            sp.GetRequiredService<ApiKeyStore>(),
            sp.GetRequiredService<GatewayHandlers>(),
            sp.GetRequiredService<IKeyLimits>(),
            sp.GetRequiredService<RequestFraming>(),
            sp.GetServices<IRequestRecordSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GatewayPipeline>>()));
        AddUsage(builder);
        services.AddHostedService<GatewayStartupCheck>();

        // With several Ollama servers: probes and model lists, read once before serving, then on timers (both hosts).
        services.AddHostedService(sp => sp.GetRequiredService<UpstreamMonitor>());
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>((host, gateway) => host.ShutdownTimeout = gateway.Value.ShutdownDrainPeriod);
        return builder;
    }

    // Metrics, the access log and the usage ledger are sinks of the request record, registered only when on; the ledger's writer
    // is a hosted service, started before the server takes requests and stopped after it (draining its queue).
    private static void AddUsage(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, UsageOptionsValidator>());
        if (options.Metrics.Enabled)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestRecordSink, MetricsRecordSink>());
        }

        if (options.AccessLog.Enabled)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestRecordSink, AccessLogSink>());
        }

        var location = new UsageLedgerLocation(options, UsageLedgerLocation.RunsInFunctionsWorker(builder.Configuration), builder.Environment.ContentRootPath);
        services.TryAddSingleton(location);
        if (location.Enabled && !location.IsFunctionsWorker)
        {
            services.TryAddSingleton<UsageLedgerWriter>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestRecordSink, UsageLedgerWriter>(sp => sp.GetRequiredService<UsageLedgerWriter>()));
            services.TryAddSingleton<IUsageReportSource>(sp => sp.GetRequiredService<UsageLedgerWriter>().Ledger);
            services.AddHostedService(sp => sp.GetRequiredService<UsageLedgerWriter>());
        }
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
