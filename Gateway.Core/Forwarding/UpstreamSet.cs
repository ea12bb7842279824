using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// The Ollama servers behind the gateway — <c>Gateway:Upstreams</c>, or the one <c>Gateway:OllamaUrl</c> named
/// <c>default</c> — and the choice among them for a request, modelled on YARP's cluster (destinations, health, load
/// balancing) but called per request by the pipeline, since the Functions worker cannot run YARP's proxy middleware.
/// One long-lived client (YARP's factory: no proxy, no redirects, no cookies, no decompression) serves every server.
/// </summary>
internal sealed class UpstreamSet : IDisposable
{
    /// <summary>
    /// The request header that names the server a request must go to; read by the gateway, never forwarded (the passthrough
    /// copies an allow-list of headers only). Required for model management when there are several servers.
    /// </summary>
    public const string PinHeader = "X-Ollama-Upstream";

    private readonly OllamaUpstream[] _all;
    private readonly HttpMessageInvoker _invoker;
    private readonly TimeProvider _time;
    private int _rotation;

    public UpstreamSet(IOptions<GatewayOptions> gateway, IOptions<UpstreamSetOptions> upstreams, IForwarderHttpClientFactory clientFactory, ILoggerFactory loggers, TimeProvider time)
    {
        var settings = gateway.Value;
        Settings = upstreams.Value;
        _time = time;
        _invoker = clientFactory.CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });
        var requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = settings.UpstreamFirstByteTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            AllowResponseBuffering = false,
        };
        var configured = Settings.Configured.ToArray();
        if (configured.Length == 0)
        {
            configured = [new UpstreamOptions { Name = OllamaUpstream.DefaultName, Url = settings.OllamaUrl }];
        }

        var failureLogger = loggers.CreateLogger<UpstreamFailureLog>();
        _all = [.. configured.Select(upstream =>
        {
            GatewayOptionsValidator.TryParseOllamaUrl(upstream.Url, out var uri);
            return new OllamaUpstream(
                upstream.Name!, uri, upstream.Weight ?? 1, upstream.Models, _invoker, requestConfig, settings.UpstreamFirstByteTimeout,
                settings.UpstreamIdleTimeout, Settings.UpstreamHealth.ReactivationPeriod, new UpstreamFailureLog(failureLogger, time, upstream.Name!), time);
        })];
        Single = _all.Length == 1 ? _all[0] : null;
    }

    /// <summary>The settings the set was built from.</summary>
    public UpstreamSetOptions Settings { get; }

    /// <summary>Every server, in configured order.</summary>
    public IReadOnlyList<OllamaUpstream> All => _all;

    /// <summary>The server when there is only one: then nothing is chosen, probed or polled, and requests go as they always did.</summary>
    public OllamaUpstream? Single { get; }

    /// <summary>Whether there are several servers to choose among.</summary>
    public bool IsSeveral => Single is null;

    /// <summary>The server of that name (ignoring case), or null.</summary>
    public OllamaUpstream? Find(string? name)
    {
        foreach (var upstream in _all)
        {
            if (string.Equals(upstream.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return upstream;
            }
        }

        return null;
    }

    /// <summary>
    /// Chooses a server for a request: among healthy servers that have <paramref name="canonicalModel"/> (and whose globs let
    /// them serve it), one where it is loaded, then the fewest requests in flight relative to weight, then the heavier
    /// server; servers still equal take turns. Without a model, any healthy server by the same measure. When no server
    /// known to have the model is found, a healthy server whose models were never read is asked rather than answering 404.
    /// </summary>
    /// <param name="canonicalModel">The model as <see cref="Policy.ModelName.Canonical"/> spells it, or null.</param>
    /// <param name="except">A server not to choose (the one that just failed), or null.</param>
    public UpstreamChoice Choose(string? canonicalModel, OllamaUpstream? except = null)
    {
        var all = _all;
        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)all.Length);
        OllamaUpstream? best = null;
        var bestLoaded = false;
        var bestLoad = 0.0;
        var anyDown = false;
        OllamaUpstream? unread = null;
        for (var i = 0; i < all.Length; i++)
        {
            var upstream = all[(start + i) % all.Length];
            if (ReferenceEquals(upstream, except))
            {
                continue;
            }

            var inventory = upstream.Inventory;
            if (canonicalModel is not null && !inventory.Models.Contains(canonicalModel))
            {
                // A server whose list was never read (the host serves before the first read ends, or its reads fail)
                // may have the model: it is asked rather than a 404 given, and its own "not found" starts a read.
                if (!inventory.IsKnown && unread is null && upstream.IsHealthy)
                {
                    unread = upstream;
                }

                continue;
            }

            if (!upstream.IsHealthy)
            {
                anyDown = true;
                continue;
            }

            var loaded = canonicalModel is not null && inventory.Loaded.Contains(canonicalModel);
            var load = upstream.InFlight / upstream.Weight;
            if (best is null || (loaded && !bestLoaded)
                || (loaded == bestLoaded && (load < bestLoad || (load == bestLoad && upstream.Weight > best.Weight))))
            {
                (best, bestLoaded, bestLoad) = (upstream, loaded, load);
            }
        }

        best ??= unread;
        return best is not null ? new UpstreamChoice(best, UpstreamChoiceKind.Chosen)
            : new UpstreamChoice(null, anyDown || canonicalModel is null ? UpstreamChoiceKind.Unavailable : UpstreamChoiceKind.ModelNotFound);
    }

    /// <summary>
    /// When to try again for a model that only servers that are down have: the soonest one of them may be back — the end of
    /// the reactivation period of a server left out after a refused connection, the next probe of one that failed its
    /// probe; at least a second.
    /// </summary>
    public TimeSpan RetryAfter(string? canonicalModel)
    {
        var now = _time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var upstream in _all)
        {
            if (!upstream.IsHealthy && (canonicalModel is null || upstream.Inventory.Models.Contains(canonicalModel)))
            {
                // Left out after a refused connection: back when the period ends. Failed its probe: the next probe may tell.
                var back = upstream.ReactivatesAt - now;
                var next = back > TimeSpan.Zero ? back : Settings.UpstreamHealth.ProbeInterval;
                wait = wait is null || next < wait ? next : wait;
            }
        }

        var seconds = wait ?? Settings.UpstreamHealth.ProbeInterval;
        return seconds < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : seconds;
    }

    /// <summary>Each server's state now, for <c>/readyz</c> and metrics.</summary>
    public IReadOnlyList<UpstreamStatus> Statuses() =>
        [.. _all.Select(upstream => new UpstreamStatus(
            upstream.Name, upstream.IsHealthy, IsSeveral ? upstream.Inventory.Models.Count : null,
            IsSeveral ? upstream.Inventory.Loaded.Count : null, upstream.InFlight, upstream.Weight))];

    /// <summary>The configured names, for error messages (names are not secret; URLs are, and never appear).</summary>
    public string Names => string.Join(", ", _all.Select(upstream => upstream.Name));

    public void Dispose()
    {
        foreach (var upstream in _all)
        {
            upstream.Dispose();
        }

        _invoker.Dispose();
    }
}
