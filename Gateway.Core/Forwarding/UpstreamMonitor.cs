using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Keeps <see cref="UpstreamSet"/>'s view of its servers current when there are several (with one there is nothing to
/// choose, and nothing runs): an active probe, <c>GET /api/version</c>, every <c>UpstreamHealth:ProbeInterval</c> (YARP's
/// active health check), and the models each has and has loaded, <c>/api/tags</c> and <c>/api/ps</c>, every
/// <c>UpstreamInventoryInterval</c>, at once for a server that answered "model not found" or changed its models, and
/// before a server that failed its probe is used again. A hosted service, so it runs in both hosts; its clock is the
/// injected <see cref="TimeProvider"/>, so tests drive it.
/// </summary>
internal sealed partial class UpstreamMonitor : IHostedService, IDisposable
{
    // The same bound as a model list the gateway filters (ModelListTransformer).
    private const long MaxListBytes = 8 * 1024 * 1024;

    private readonly UpstreamSet _set;
    private readonly TimeProvider _time;
    private readonly ILogger<UpstreamMonitor> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<OllamaUpstream, Task> _refreshing = new();
    private ITimer? _probeTimer;
    private ITimer? _inventoryTimer;
    private int _probing;
    private int _polling;

    public UpstreamMonitor(UpstreamSet set, TimeProvider time, ILogger<UpstreamMonitor> logger)
    {
        _set = set;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Reads every server once before the host serves (each bounded by the probe timeout, all at once), so the first
    /// request already knows where the models are; then starts the timers.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_set.IsSeveral)
        {
            return;
        }

        await ProbeAllAsync();
        var health = _set.Settings.UpstreamHealth;
        _probeTimer = _time.CreateTimer(static state => _ = ((UpstreamMonitor)state!).ProbeAllAsync(), this, health.ProbeInterval, health.ProbeInterval);
        var interval = _set.Settings.UpstreamInventoryInterval;
        _inventoryTimer = _time.CreateTimer(static state => _ = ((UpstreamMonitor)state!).RefreshAllAsync(), this, interval, interval);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _probeTimer?.Dispose();
        _inventoryTimer?.Dispose();
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Probes every server now (a round still running is not doubled); what the probe timer does.</summary>
    internal async Task ProbeAllAsync()
    {
        if (Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_set.All.Select(ProbeAsync));
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    /// <summary>Reads every server's models now; what the inventory timer does.</summary>
    internal async Task RefreshAllAsync()
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_set.All.Where(upstream => upstream.IsHealthy).Select(RefreshAsync));
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    /// <summary>Reads one server's models as soon as possible, without waiting (a read already under way counts).</summary>
    public void RefreshSoon(OllamaUpstream upstream)
    {
        if (_set.IsSeveral)
        {
            _ = RefreshAsync(upstream);
        }
    }

    /// <summary>Reads one server's models now, or joins the read under way; never throws.</summary>
    internal Task RefreshAsync(OllamaUpstream upstream)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _refreshing.GetOrAdd(upstream, started.Task);
        if (running != started.Task)
        {
            return running;
        }

        _ = RunAsync();
        return started.Task;

        async Task RunAsync()
        {
            try
            {
                await ReadInventoryAsync(upstream);
            }
            finally
            {
                _refreshing.TryRemove(upstream, out _);
                started.SetResult();
            }
        }
    }

    public void Dispose()
    {
        // Cancelled, not disposed: a read started by a timer just before may still link to its token.
        _probeTimer?.Dispose();
        _inventoryTimer?.Dispose();
        _stopping.Cancel();
    }

    private async Task ProbeAsync(OllamaUpstream upstream)
    {
        var (answer, problem) = await GetAsync(upstream, "/api/version");
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        if (answer is null)
        {
            if (upstream.SetProbeResult(false))
            {
                Log.Down(_logger, upstream.Name, problem);
            }

            return;
        }

        // A server coming back (or seen for the first time) gets its models read before it is given requests.
        if (!upstream.IsHealthy || !upstream.Inventory.IsKnown)
        {
            await RefreshAsync(upstream);
        }

        if (upstream.SetProbeResult(true))
        {
            Log.Up(_logger, upstream.Name, upstream.Inventory.Models.Count);
        }
    }

    private async Task ReadInventoryAsync(OllamaUpstream upstream)
    {
        var tags = GetAsync(upstream, "/api/tags");
        var ps = GetAsync(upstream, "/api/ps");
        var ((tagsJson, tagsProblem), (psJson, psProblem)) = (await tags, await ps);
        if (tagsJson is null || psJson is null)
        {
            Log.InventoryUnread(_logger, upstream.Name, tagsProblem ?? psProblem);
            return;
        }

        try
        {
            upstream.Inventory = UpstreamInventory.Read(tagsJson, psJson, upstream.IsUsedFor);
        }
        catch (JsonException ex)
        {
            Log.InventoryUnread(_logger, upstream.Name, ex.Message);
        }
    }

    // The body of a 2xx answer, or null and what went wrong. Bounded by the probe timeout; never throws.
    private async Task<(byte[]? Body, string? Problem)> GetAsync(OllamaUpstream upstream, string path)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_set.Settings.UpstreamHealth.ProbeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, upstream.UriFor(path));
            using var response = await upstream.Invoker.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{path} answered {(int)response.StatusCode}");
            }

            var body = await UpstreamBodyReader.ReadAsync(response.Content, MaxListBytes, timeout.Token);
            return (body, body is null ? $"{path} answered more than {MaxListBytes} bytes" : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return (null, UpstreamFailureLog.Describe(ex, timedOut: ex is OperationCanceledException && !UpstreamFailure.IsConnectFailure(ex)));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4020, LogLevel.Warning, "Ollama server {Upstream} is down ({Problem}); it gets no requests until a probe succeeds.", EventName = "UpstreamDown")]
        public static partial void Down(ILogger logger, string upstream, string? problem);

        [LoggerMessage(4021, LogLevel.Information, "Ollama server {Upstream} answers ({Models} models).", EventName = "UpstreamUp")]
        public static partial void Up(ILogger logger, string upstream, int models);

        [LoggerMessage(4022, LogLevel.Warning, "The models of Ollama server {Upstream} could not be read ({Problem}); the last list read stays in use.", EventName = "UpstreamInventoryUnread")]
        public static partial void InventoryUnread(ILogger logger, string upstream, string? problem);
    }
}
