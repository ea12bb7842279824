namespace OllamaGateway.Pipeline;

/// <summary>The route handlers the pipeline dispatches to, gathered so the pipeline's constructor stays short.</summary>
internal sealed record GatewayHandlers(PassthroughHandler Passthrough, GuardedPassthroughHandler Guarded, TranslatedExchange Exchange, ModelsHandler Models, ReadinessProbe Readiness, ModelListHandler Lists, MetricsHandler Metrics, UsageReportHandler Usage);
