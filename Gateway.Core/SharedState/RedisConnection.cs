using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using StackExchange.Redis;

namespace OllamaGateway.SharedState;

/// <summary>
/// The gateway's one connection to Redis (StackExchange.Redis multiplexes every request over it) and whether Redis is
/// usable now. A command that fails or takes longer than <c>Gateway:Redis:Timeout</c> marks Redis unavailable: requests
/// are then limited per instance, without waiting for Redis, until a probe (once a second) finds it answering again.
/// One warning when an outage starts, one summary when it ends. Redis never decides whether a key is valid, so an
/// outage never refuses a request.
/// </summary>
internal sealed partial class RedisConnection : BackgroundService
{
    private static readonly TimeSpan s_probeEvery = TimeSpan.FromSeconds(1);

    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConnection> _logger;
    private readonly List<IRedisParticipant> _participants = [];
    private readonly IRedisTokenSource? _tokens;
    private readonly TokenOptionsProvider _tokenDefaults = new();
    private readonly Lock _stateLock = new();
    private DateTimeOffset _tokenRefreshAt = DateTimeOffset.MaxValue;
    private ConnectionMultiplexer? _multiplexer;
    private IDatabase? _database;
    private volatile bool _available;
    private bool _outage;
    private long _outageStarted;
    private long _limitedPerInstance;

    public RedisConnection(IOptions<GatewayOptions> options, TimeProvider time, ILogger<RedisConnection> logger, IRedisTokenSource? tokens = null)
    {
        _options = options.Value.Redis;

        // A token is used only where the configuration string gives no password of its own.
        _tokens = tokens is not null && string.IsNullOrEmpty(ConfigurationOptions.Parse(_options.Configuration!).Password) ? tokens : null;
        _time = time;
        _logger = logger;
        Names = new RedisKeyNames(_options.KeyPrefix);
    }

    /// <summary>Names of the gateway's keys under <c>Gateway:Redis:KeyPrefix</c>.</summary>
    public RedisKeyNames Names { get; }

    /// <summary>How long a request waits for Redis.</summary>
    public TimeSpan Timeout => _options.Timeout;

    /// <summary>The database, once connected (for reports, which may read while requests fall back).</summary>
    public IDatabase? Database => _database;

    /// <summary>Whether requests use Redis now; false before the first connection and during an outage.</summary>
    public bool IsAvailable => _available;

    /// <summary>Adds work to run on the connection's timer and after an outage.</summary>
    public void Register(IRedisParticipant participant)
    {
        lock (_participants)
        {
            _participants.Add(participant);
        }
    }

    /// <summary>
    /// Runs a script within <see cref="Timeout"/>; null when Redis is unavailable or the script fails (then Redis is
    /// marked unavailable). The request's own cancellation still throws.
    /// </summary>
    public async Task<RedisResult?> TryEvaluateAsync(string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        var database = _database;
        if (!_available || database is null)
        {
            return null;
        }

        try
        {
            return await database.ScriptEvaluateAsync(script, keys, values).WaitAsync(_options.Timeout, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            MarkUnavailable(ex);
            return null;
        }
    }

    /// <summary>Runs a script off the request path, with StackExchange.Redis's own timeout; throws when it fails.</summary>
    public Task<RedisResult> EvaluateInBackgroundAsync(string script, RedisKey[] keys, RedisValue[] values)
    {
        var database = _database;
        return database is null
            ? Task.FromException<RedisResult>(new RedisException("Redis is not connected."))
            : database.ScriptEvaluateAsync(script, keys, values);
    }

    /// <summary>Adds a set member off the request path without waiting for the answer.</summary>
    public void AddToSetInBackground(RedisKey set, RedisValue member) =>
        _database?.SetAdd(set, member, CommandFlags.FireAndForget);

    /// <summary>Notes that a request was limited by this instance alone because Redis was unavailable (for the outage summary).</summary>
    public void CountLimitedPerInstance() => Interlocked.Increment(ref _limitedPerInstance);

    /// <summary>Marks Redis unavailable after <paramref name="failure"/>; the first failure of an outage logs one warning.</summary>
    public void MarkUnavailable(Exception failure) => MarkUnavailable(Describe(failure));

    private void MarkUnavailable(string reason)
    {
        lock (_stateLock)
        {
            _available = false;
            if (_outage)
            {
                return;
            }

            _outage = true;
            _outageStarted = _time.GetTimestamp();
            Interlocked.Exchange(ref _limitedPerInstance, 0);
        }

        Log.Unavailable(_logger, reason, _options.Timeout.TotalMilliseconds);
    }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ConnectAsync();
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_multiplexer is { } multiplexer)
        {
            // Lets the last finished requests' counts reach Redis.
            await multiplexer.CloseAsync(allowCommandsToComplete: true);
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        _multiplexer?.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_probeEvery < _options.LeaseTtl / 3 ? s_probeEvery : _options.LeaseTtl / 3, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_tokens is not null && _time.GetUtcNow() >= _tokenRefreshAt)
                {
                    await RefreshTokenAsync(stoppingToken);
                }

                if (!_available)
                {
                    await ProbeAsync(stoppingToken);
                }
                else
                {
                    foreach (var participant in Participants())
                    {
                        try
                        {
                            await participant.OnTickAsync(stoppingToken);
                        }
                        catch (Exception ex) when (ex is RedisException or TimeoutException)
                        {
                            MarkUnavailable(ex);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration!);

        // Never wait for a connection inside a request: fail at once while disconnected (the caller falls back) and keep
        // reconnecting in the background. Requests bound their own wait (Gateway:Redis:Timeout); work off the request
        // path keeps StackExchange.Redis's timeouts.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "ollama-gateway";
        if (_tokens is not null)
        {
            if (_tokenDefaults.Token is null && !await RefreshTokenAsync(CancellationToken.None))
            {
                return;
            }

            configuration.Defaults = _tokenDefaults;
        }

        try
        {
            _multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
            _multiplexer.ConnectionFailed += (_, e) => MarkUnavailable($"connection: {e.FailureType}");
            _database = _multiplexer.GetDatabase();
        }
        catch (RedisException ex)
        {
            MarkUnavailable(ex);
            return;
        }

        await ProbeAsync(CancellationToken.None);
    }

    // Takes a new token three quarters into the current one's life, and signs the live connections in with it (a
    // reconnection uses it anyway). False, with Redis marked unavailable, when no token could be had.
    private async Task<bool> RefreshTokenAsync(CancellationToken cancellationToken)
    {
        RedisToken token;
        try
        {
            token = await _tokens!.GetTokenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The credential's own message says why (no identity, no network); it never holds a token.
            _tokenRefreshAt = _time.GetUtcNow() + s_probeEvery;
            MarkUnavailable($"no token for Redis: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            return false;
        }

        var now = _time.GetUtcNow();
        var life = token.ExpiresOn - now;
        _tokenRefreshAt = now + (life > TimeSpan.FromSeconds(40) ? life * 0.75 : TimeSpan.FromSeconds(10));
        _tokenDefaults.Token = token;
        if (_multiplexer is { } multiplexer)
        {
            foreach (var server in multiplexer.GetServers().Where(server => server.IsConnected))
            {
                try
                {
                    await server.ExecuteAsync("AUTH", token.User, token.Token).WaitAsync(_options.Timeout * 4, _time, cancellationToken);
                    Log.Reauthenticated(_logger, token.User, token.ExpiresOn);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // The connection keeps its old sign-in until the server drops it; it then reconnects with the new token.
                    Log.ReauthenticationFailed(_logger, Describe(ex));
                }
            }
        }

        return true;
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var database = _database;
        if (database is null)
        {
            await ConnectAsync();
            return;
        }

        try
        {
            await database.PingAsync().WaitAsync(_options.Timeout, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            MarkUnavailable(ex);
            return;
        }

        // Catch up before requests use Redis again: buffered usage is written while this instance still limits alone.
        try
        {
            foreach (var participant in Participants())
            {
                await participant.OnRestoredAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            MarkUnavailable(ex);
            return;
        }

        bool wasOutage;
        long started;
        lock (_stateLock)
        {
            wasOutage = _outage;
            started = _outageStarted;
            _outage = false;
            _available = true;
        }

        if (wasOutage)
        {
            Log.Restored(_logger, _time.GetElapsedTime(started).TotalSeconds, Interlocked.Read(ref _limitedPerInstance));
        }
    }

    private IRedisParticipant[] Participants()
    {
        lock (_participants)
        {
            return [.. _participants];
        }
    }

    // The kind of failure only: an exception's message can carry the configuration's endpoints and options.
    private static string Describe(Exception failure) => failure switch
    {
        RedisConnectionException connection => $"connection: {connection.FailureType}",
        RedisTimeoutException or TimeoutException => "timed out",
        RedisServerException => "the server refused a command",
        _ => failure.GetType().Name,
    };

    private static partial class Log
    {
        [LoggerMessage(5024, LogLevel.Warning, "Could not sign the connection to Redis in with the new token ({Reason}); it reconnects with it when the server closes the connection.", EventName = "RedisReauthenticationFailed")]
        public static partial void ReauthenticationFailed(ILogger logger, string reason);

        [LoggerMessage(5025, LogLevel.Debug, "Signed the connection to Redis in as {User} with a new token, valid until {ExpiresOn:O}.", EventName = "RedisReauthenticated")]
        public static partial void Reauthenticated(ILogger logger, string user, DateTimeOffset expiresOn);

        [LoggerMessage(5020, LogLevel.Warning, "Redis is unavailable ({Reason}; timeout {TimeoutMs} ms): requests are served with this instance's own limits and usage counts are buffered until it answers again.", EventName = "RedisUnavailable")]
        public static partial void Unavailable(ILogger logger, string reason, double timeoutMs);

        [LoggerMessage(5021, LogLevel.Information, "Redis answers again after {Seconds:F1} s: {Limited} requests were limited by this instance alone meanwhile; shared limits apply again.", EventName = "RedisRestored")]
        public static partial void Restored(ILogger logger, double seconds, long limited);
    }
}
