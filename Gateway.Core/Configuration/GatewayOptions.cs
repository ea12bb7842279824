namespace OllamaGateway.Configuration;

/// <summary>
/// Settings shared by every host, bound from the <c>Gateway</c> configuration section
/// (environment variables <c>Gateway__OllamaUrl</c>, <c>Gateway__KeysFile</c>, ...).
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Absolute http(s) URL of the Ollama server the gateway fronts.</summary>
    public string OllamaUrl { get; set; } = "http://localhost:11434";

    /// <summary>Path of the keys file; a relative path is resolved against the host's content root.</summary>
    public string KeysFile { get; set; } = "keys.json";

    /// <summary>Largest request body accepted on inference routes, in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest request body on read-only routes such as <c>/api/show</c>, in bytes (413 above it).</summary>
    public long MaxReadBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Largest request body on model-management routes (admin keys only), in bytes; null for no cap, the
    /// default, because a model blob upload can be many gigabytes.
    /// </summary>
    public long? MaxManagementBodyBytes { get; set; }

    /// <summary>Largest non-streamed upstream answer the gateway will translate, in bytes (502 above it).</summary>
    public long MaxTranslatedResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// How long Ollama may take to begin its answer (504 after). Long by default: Ollama sends nothing until a
    /// cold model has loaded, and a non-streamed answer only when generation is complete.
    /// </summary>
    public TimeSpan UpstreamFirstByteTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a stream from Ollama may stay silent between chunks; then it ends with an error event (SSE on
    /// <c>/v1</c>, an NDJSON <c>{"error":...}</c> line on native routes) and the Ollama request is cancelled.
    /// </summary>
    public TimeSpan UpstreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long connecting to Ollama may take before the request fails with 502.</summary>
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap on <c>options.num_predict</c> (tokens to generate); absent or unlimited requests get this value.</summary>
    public int MaxNumPredict { get; set; } = 8192;

    /// <summary>Cap on <c>options.num_ctx</c> (context window, which drives GPU memory); absent stays the model's default.</summary>
    public int MaxNumCtx { get; set; } = 32768;

    /// <summary>Cap on <c>keep_alive</c>; "keep for ever" (negative) becomes this.</summary>
    public TimeSpan MaxKeepAlive { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Registries an admin key may pull from and push to; empty means Ollama's own (<c>registry.ollama.ai</c>) only.
    /// </summary>
    public string[] AllowedRegistries { get; set; } = [];

    /// <summary>Whether admins may pull or push with <c>insecure: true</c> (plain HTTP, no certificate check). Off by default.</summary>
    public bool AllowInsecureRegistries { get; set; }

    /// <summary>
    /// On shutdown (SIGTERM, host stop) new connections are refused at once and requests in flight, streams
    /// included, may finish within this period; after it they are cut and their Ollama requests cancelled.
    /// </summary>
    public TimeSpan ShutdownDrainPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Failed authentications one client address may make per minute (with a burst of as many) before further
    /// failures are answered 429. Valid keys are never throttled.
    /// </summary>
    public int FailedAuthPerMinute { get; set; } = 30;

    /// <summary>The access log: one line per request.</summary>
    public AccessLogOptions AccessLog { get; set; } = new();

    /// <summary>The gateway's metrics.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The usage ledger: one row per finished request.</summary>
    public UsageOptions Usage { get; set; } = new();

    /// <summary>Shared state on Redis, so that limits and usage counters hold across instances.</summary>
    public RedisOptions Redis { get; set; } = new();
}
