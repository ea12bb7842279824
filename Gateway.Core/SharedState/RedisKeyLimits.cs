using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Limits;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;
using OllamaGateway.Usage.Metrics;
using StackExchange.Redis;

namespace OllamaGateway.SharedState;

/// <summary>
/// The keys' limits shared by every instance through Redis. On the request path: one script call per request of a key
/// that has limits (<see cref="RedisScripts.Acquire"/>: rate, concurrency lease and token budget, one verdict); none for
/// a key without. After the request (<see cref="OnFinished"/>, not awaited by the request): one script call that releases
/// the lease, charges the tokens and counts the usage per key, model and hour. While Redis is unavailable the instance's
/// own limits (<see cref="InProcessKeyLimits"/>) decide and usage counts wait in a bounded buffer.
/// </summary>
internal sealed partial class RedisKeyLimits : IKeyLimits, IRequestRecordSink, IRedisParticipant, IDisposable
{
    private readonly RedisConnection _redis;
    private readonly InProcessKeyLimits _fallback;
    private readonly UsageBuffer _buffer;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisKeyLimits> _logger;
    private readonly long _leaseTtlMs;
    private readonly long _retentionSeconds;
    private readonly int _failedAuthPerMinute;

    // Leases this instance holds in Redis, by request: renewed while the request runs, released when it finishes.
    private readonly ConcurrentDictionary<RequestRecord, HeldLease> _held = new(ReferenceEqualityComparer.Instance);

    // Per key name: the Redis keys of its acquire script (built once, not per request), and whether this instance has
    // already added the name to the set of names with usage since Redis was last unavailable.
    private readonly ConcurrentDictionary<string, RedisKey[]> _acquireKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _indexed = new(StringComparer.Ordinal);

    // Per key name: the last hour this instance indexed (expiry set, added to the key's hours), so that only the first
    // finished request of each hour pays for it.
    private readonly ConcurrentDictionary<string, long> _indexedHours = new(StringComparer.Ordinal);
    private long _lastRenewal;
    private long _droppedLogged;

    public RedisKeyLimits(RedisConnection redis, InProcessKeyLimits fallback, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<RedisKeyLimits> logger)
    {
        var settings = options.Value;
        _redis = redis;
        _fallback = fallback;
        _buffer = new UsageBuffer(settings.Redis.UsageBufferCapacity);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _leaseTtlMs = (long)Math.Ceiling(settings.Redis.LeaseTtl.TotalMilliseconds);
        _retentionSeconds = (long)TimeSpan.FromDays(settings.Usage.RetentionDays).TotalSeconds;
        _failedAuthPerMinute = settings.FailedAuthPerMinute;
        _lastRenewal = time.GetTimestamp();
        redis.Register(this);
        metrics.ObserveSharedState(() => new SharedStateObservation(!redis.IsAvailable, _buffer.Count));
    }

    /// <summary>Usage counts waiting for Redis.</summary>
    public int Buffered => _buffer.Count;

    /// <summary>Leases this instance holds in Redis now.</summary>
    public int HeldLeases => _held.Count;

    /// <inheritdoc/>
    public async ValueTask<LimitLease> AcquireAsync(ApiKey key, bool inference, RequestRecord record, CancellationToken cancellationToken)
    {
        var limits = key.Limits;
        var perMinute = limits.RequestsPerMinute ?? 0;
        var concurrent = limits.ConcurrentRequests ?? 0;
        var tokensPerMinute = inference ? limits.TokensPerMinute ?? 0 : 0;
        var tokensPerDay = inference ? limits.TokensPerDay ?? 0 : 0;
        if (perMinute == 0 && concurrent == 0 && tokensPerMinute == 0 && tokensPerDay == 0)
        {
            return LimitLease.Granted;
        }

        var leaseId = concurrent > 0 ? Guid.NewGuid().ToString("N") : string.Empty;
        var names = _redis.Names;
        var result = await _redis.TryEvaluateAsync(
            RedisScripts.Acquire,
            _acquireKeys.GetOrAdd(key.Name, static (name, names) => [names.Rate(name), names.Leases(name), names.Tokens(name)], names),
            [perMinute, concurrent, tokensPerMinute, tokensPerDay, leaseId, _leaseTtlMs],
            cancellationToken);
        if (result is null)
        {
            _redis.CountLimitedPerInstance();
            return _fallback.Acquire(key, inference);
        }

        var verdict = (RedisResult[])result!;
        var retryAfter = TimeSpan.FromMilliseconds((long)verdict[1]);
        switch ((int)verdict[0])
        {
            case RedisScripts.Granted:
                if (concurrent > 0)
                {
                    _held[record] = new HeldLease(key.Name, leaseId);
                }

                return LimitLease.Granted;
            case RedisScripts.RateRefused:
                return LimitLease.Refused(retryAfter, "requests per minute");
            case RedisScripts.MinuteBudgetSpent:
                return LimitLease.BudgetSpent(retryAfter, "tokens per minute");
            case RedisScripts.DayBudgetSpent:
                return LimitLease.BudgetSpent(retryAfter, "tokens per day");
            default:
                return LimitLease.Refused(retryAfter, "concurrent requests");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<TimeSpan?> RecordAuthFailureAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        var result = await _redis.TryEvaluateAsync(RedisScripts.AuthFailure, [_redis.Names.AuthFailures(address)], [_failedAuthPerMinute], cancellationToken);
        if (result is null)
        {
            _redis.CountLimitedPerInstance();
            return await _fallback.RecordAuthFailureAsync(address, cancellationToken);
        }

        var wait = (long)result;
        return wait == 0 ? null : TimeSpan.FromMilliseconds(wait);
    }

    /// <inheritdoc/>
    public void OnFinished(RequestRecord record)
    {
        // Requests without a key are not counted here: usage is kept per key name (the ledger keeps them).
        if (record.Key is not { } key)
        {
            return;
        }

        _held.TryRemove(record, out var held);
        var tokens = record.PromptTokens + record.CompletionTokens;
        var tally = new UsageTally(1, record.PromptTokens, record.CompletionTokens, record.Outcome == RequestOutcome.Completed ? 0 : 1, key.Limits.HasTokenBudget ? tokens : 0);
        var model = UsageEntry.Cut(record.RequestedModel) ?? string.Empty;
        var bucket = new UsageBucket(key.Name, model, HourOf(record.StartedAt));
        if (!_redis.IsAvailable)
        {
            Buffer(bucket, tally);
            return;
        }

        _ = WriteAsync(bucket, tally, held.LeaseId ?? string.Empty);
    }

    /// <inheritdoc/>
    public async Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count > 0)
        {
            await FlushAsync();
        }

        // A third of the lease's life between renewals: two renewals may fail before another instance could take the slot.
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastRenewal, now).TotalMilliseconds < _leaseTtlMs / 3.0 || _held.IsEmpty)
        {
            return;
        }

        _lastRenewal = now;
        var names = _redis.Names;
        await Task.WhenAll(_held.Values.Select(lease =>
            _redis.EvaluateInBackgroundAsync(RedisScripts.Renew, [names.Leases(lease.KeyName)], [lease.LeaseId, _leaseTtlMs])));
    }

    /// <inheritdoc/>
    public Task OnRestoredAsync(CancellationToken cancellationToken)
    {
        // Redis may have come back empty: name every key and index every hour again as usage arrives.
        _indexed.Clear();
        _indexedHours.Clear();
        return FlushAsync();
    }

    /// <summary>At shutdown, says what could not reach Redis: never a silent loss.</summary>
    public void Dispose()
    {
        var left = _buffer.Drain();
        if (left.Length > 0)
        {
            Log.LostAtShutdown(_logger, left.Sum(entry => entry.Value.Requests));
        }
    }

    private static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    private async Task WriteAsync(UsageBucket bucket, UsageTally tally, string leaseId)
    {
        try
        {
            await Finish(bucket, tally, leaseId, replay: false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Whether Redis counted it is unknown; counted again on return (at least once, never lost silently).
            _redis.MarkUnavailable(ex);
            Buffer(bucket, tally);
        }
    }

    private Task Finish(UsageBucket bucket, UsageTally tally, string leaseId, bool replay)
    {
        var names = _redis.Names;
        var day = bucket.Hour.ToUnixTimeSeconds() / 86_400;
        var budgetMode = tally.BudgetTokens <= 0 ? "0" : replay ? "2" : "1";
        var hour = bucket.Hour.ToUnixTimeSeconds();
        var index = replay || !_indexedHours.TryGetValue(bucket.KeyName, out var indexed) || indexed != hour;
        if (index)
        {
            _indexedHours[bucket.KeyName] = hour;
        }

        var finished = _redis.EvaluateInBackgroundAsync(
            RedisScripts.Finish,
            [names.Leases(bucket.KeyName), names.Tokens(bucket.KeyName), names.UsageHour(bucket.KeyName, bucket.Hour), names.UsageHours(bucket.KeyName)],
            [leaseId, tally.BudgetTokens, budgetMode, day, bucket.Model, tally.Requests, tally.PromptTokens, tally.CompletionTokens, tally.Errors, hour, _retentionSeconds, index ? "1" : "0"]);
        if (_indexed.TryAdd(bucket.KeyName, true))
        {
            _redis.AddToSetInBackground(names.UsageKeyNames, bucket.KeyName);
        }

        return finished;
    }

    private void Buffer(UsageBucket bucket, UsageTally tally)
    {
        if (_buffer.Add(bucket, tally))
        {
            return;
        }

        _metrics.SharedUsageDropped(tally.Requests);
        var dropped = _buffer.Dropped;

        // One line per thousand dropped at most: an outage that fills the buffer must not flood the log.
        var logged = Interlocked.Read(ref _droppedLogged);
        if (dropped - logged >= 1000 || logged == 0)
        {
            if (Interlocked.CompareExchange(ref _droppedLogged, dropped, logged) == logged)
            {
                Log.BufferFull(_logger, dropped);
            }
        }
    }

    private async Task FlushAsync()
    {
        var pending = _buffer.Drain();
        if (pending.Length == 0)
        {
            return;
        }

        var writes = pending.Select(entry => Finish(entry.Key, entry.Value, string.Empty, replay: true)).ToArray();
        try
        {
            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Keep what failed for the next return of Redis; what succeeded is counted.
            for (var i = 0; i < writes.Length; i++)
            {
                if (!writes[i].IsCompletedSuccessfully)
                {
                    Buffer(pending[i].Key, pending[i].Value);
                }
            }

            throw;
        }

        Log.Flushed(_logger, pending.Length, pending.Sum(entry => entry.Value.Requests), _buffer.Dropped);
    }

    private readonly record struct HeldLease(string KeyName, string LeaseId);

    private static partial class Log
    {
        [LoggerMessage(5022, LogLevel.Warning, "The usage buffer is full while Redis is unavailable: {Dropped} finished requests are left out of the shared usage counters so far.", EventName = "RedisUsageBufferFull")]
        public static partial void BufferFull(ILogger logger, long dropped);

        [LoggerMessage(5026, LogLevel.Warning, "Stopping while Redis is unavailable: {Requests} finished requests are left out of the shared usage counters.", EventName = "RedisUsageLostAtShutdown")]
        public static partial void LostAtShutdown(ILogger logger, long requests);

        [LoggerMessage(5023, LogLevel.Information, "Wrote {Buckets} buffered usage counts ({Requests} requests) to Redis; {Dropped} requests were dropped while it was unavailable.", EventName = "RedisUsageFlushed")]
        public static partial void Flushed(ILogger logger, int buckets, long requests, long dropped);
    }
}
