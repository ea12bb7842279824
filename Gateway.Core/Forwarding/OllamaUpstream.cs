using System.Collections.Concurrent;
using OllamaGateway.Policy;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// One Ollama server: where it is, how requests reach it (YARP's client, shared by every server), and what the gateway
/// knows of it — health, the models it has and has loaded, the requests in flight. <see cref="UpstreamSet"/> holds them
/// all and chooses among them; with one server nothing is chosen and only the in-flight count moves.
/// </summary>
internal sealed class OllamaUpstream : IDisposable
{
    /// <summary>The name of the one server configured by <c>Gateway:OllamaUrl</c>.</summary>
    public const string DefaultName = "default";

    private readonly ConcurrentDictionary<string, Uri> _uris = new(StringComparer.Ordinal);
    private readonly ModelAccess? _models;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reactivationPeriod;
    private readonly Lock _lock = new();
    private ITimer? _reactivation;
    private DateTimeOffset _reactivatesAt;
    private volatile bool _probeHealthy = true;
    private volatile bool _passiveHealthy = true;
    private volatile UpstreamInventory _inventory = UpstreamInventory.Unknown;
    private int _inFlight;

    public OllamaUpstream(
        string name, Uri baseUri, double weight, IReadOnlyList<string> models, HttpMessageInvoker invoker, ForwarderRequestConfig requestConfig,
        TimeSpan firstByteTimeout, TimeSpan idleTimeout, TimeSpan reactivationPeriod, UpstreamFailureLog failures, TimeProvider time)
    {
        Name = name;
        DestinationPrefix = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        Weight = weight;
        _models = models.Count == 0 ? null : ModelAccess.FromPatterns(models);
        Invoker = invoker;
        RequestConfig = requestConfig;
        FirstByteTimeout = firstByteTimeout;
        IdleTimeout = idleTimeout;
        _reactivationPeriod = reactivationPeriod;
        Failures = failures;
        _time = time;
    }

    /// <summary>The upstream's name in logs, records and <c>/readyz</c>: <c>default</c> for <c>Gateway:OllamaUrl</c>.</summary>
    public string Name { get; }

    /// <summary>Ollama's base URL without a trailing slash; request paths are appended to it. Never shown to clients.</summary>
    public string DestinationPrefix { get; }

    /// <summary>Relative capacity: requests in flight are compared divided by it.</summary>
    public double Weight { get; }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }

    /// <summary>How long Ollama may take to begin its answer.</summary>
    public TimeSpan FirstByteTimeout { get; }

    /// <summary>How long a stream from Ollama may stay silent between chunks.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Where failures to reach this server are logged, once per outage plus a summary per window.</summary>
    public UpstreamFailureLog Failures { get; }

    /// <summary>Whether the server may be given requests: its last probe answered and no request was refused a connection lately.</summary>
    public bool IsHealthy => _probeHealthy && _passiveHealthy;

    /// <summary>Requests being answered by this server now (streams included).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The models this server has (and is used for) and has loaded, as last read.</summary>
    public UpstreamInventory Inventory
    {
        get => _inventory;
        set => _inventory = value;
    }

    /// <summary>Until when a server left out after a refused connection stays out; meaningful while it is.</summary>
    public DateTimeOffset ReactivatesAt
    {
        get
        {
            lock (_lock)
            {
                return _reactivatesAt;
            }
        }
    }

    /// <summary>Whether this server's <c>Models</c> globs let it be used for <paramref name="model"/> (no globs: every model).</summary>
    public bool IsUsedFor(string model) => _models is null || _models.Allows(model);

    /// <summary>Counts a request going to this server; <see cref="Leave"/> when it is answered.</summary>
    public void Enter() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts a request answered (or given up).</summary>
    public void Leave() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Records the result of an active probe; true when the server's health changed.</summary>
    public bool SetProbeResult(bool healthy)
    {
        var changed = _probeHealthy != healthy;
        _probeHealthy = healthy;
        return changed;
    }

    /// <summary>
    /// Leaves the server out for the reactivation period after a request could not connect to it (YARP's passive health
    /// check with a reactivation period). True when it was in until now.
    /// </summary>
    public bool MarkUnreachable()
    {
        lock (_lock)
        {
            if (!_passiveHealthy)
            {
                return false;
            }

            _passiveHealthy = false;
            _reactivatesAt = _time.GetUtcNow() + _reactivationPeriod;
            _reactivation?.Dispose();
            _reactivation = _time.CreateTimer(static state => ((OllamaUpstream)state!).Reactivate(), this, _reactivationPeriod, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>Notes that <paramref name="canonicalModel"/> has just run here, so it is loaded until the next read says otherwise.</summary>
    public void NoteLoaded(string canonicalModel)
    {
        var inventory = _inventory;
        if (inventory.IsKnown && !inventory.Loaded.Contains(canonicalModel))
        {
            _inventory = inventory.WithLoaded(canonicalModel);
        }
    }

    /// <summary>
    /// The absolute URI of one of the gateway's own native paths (<c>/api/chat</c>, ...). Uris are immutable, so each
    /// is parsed once and shared; callers pass constants, never a client's path, which keeps this cache small.
    /// </summary>
    public Uri UriFor(string path) => _uris.GetOrAdd(path, static (path, prefix) => new Uri(prefix + path, UriKind.Absolute), DestinationPrefix);

    public void Dispose()
    {
        lock (_lock)
        {
            _reactivation?.Dispose();
            _reactivation = null;
        }

        Failures.Dispose();
    }

    private void Reactivate()
    {
        lock (_lock)
        {
            _reactivation?.Dispose();
            _reactivation = null;
            _passiveHealthy = true;
        }
    }
}
