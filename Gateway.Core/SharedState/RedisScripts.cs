namespace OllamaGateway.SharedState;

/// <summary>
/// The Lua scripts the gateway runs in Redis. Each one is atomic and reads the time from Redis (<c>TIME</c>), never
/// from an instance's clock, so instances whose clocks disagree still share one window. StackExchange.Redis sends each
/// by its SHA (<c>EVALSHA</c>) once Redis knows it.
/// </summary>
/// <remarks>
/// Numbers that reach Redis through <c>redis.call</c> stay below 10^14 (milliseconds), or are formatted with
/// <c>%.0f</c> (microseconds): Lua 5.1 would write a larger number in exponent notation.
/// </remarks>
internal static class RedisScripts
{
    /// <summary>Verdict codes of <see cref="Acquire"/>.</summary>
    public const int Granted = 0;

    /// <summary>Requests per minute spent.</summary>
    public const int RateRefused = 1;

    /// <summary>Tokens per minute spent.</summary>
    public const int MinuteBudgetSpent = 2;

    /// <summary>Tokens per day spent.</summary>
    public const int DayBudgetSpent = 3;

    /// <summary>Every concurrency slot taken.</summary>
    public const int ConcurrencyRefused = 4;

    /// <summary>
    /// The whole limit check of one request, in one round trip: requests per minute, concurrency and the token budget;
    /// all or nothing (a refused request spends no rate and takes no slot). Returns <c>{verdict, retry after in ms}</c>.
    /// </summary>
    /// <remarks>
    /// Requests per minute N is GCRA, the token bucket the in-process limiter uses written as one timestamp: each
    /// request moves the key's theoretical arrival time (TAT) on by the emission interval T = 60 s / N, and is allowed
    /// while the new TAT is at most a minute ahead of now: a burst of N, then one request every T. Concurrency is a
    /// sorted set of lease ids scored by their expiry, pruned here, so a slot of an instance that died frees when its
    /// lease expires. The budget windows are the minute and the day of Redis's clock.
    /// KEYS: rate, leases, tokens. ARGV: requests per minute, concurrent requests, tokens per minute, tokens per day
    /// (0 = no limit), lease id, lease time to live (ms).
    /// </remarks>
    public const string Acquire = """
        local t = redis.call('TIME')
        local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local now = math.floor(nowUs / 1000)
        local rpm = tonumber(ARGV[1])
        local conc = tonumber(ARGV[2])
        local tpm = tonumber(ARGV[3])
        local tpd = tonumber(ARGV[4])
        local tat = 0
        if rpm > 0 then
          local stored = redis.call('GET', KEYS[1])
          tat = stored and tonumber(stored) or 0
          if tat < nowUs then tat = nowUs end
          tat = tat + 60000000 / rpm
          if tat - 60000000 > nowUs then
            return {1, math.ceil((tat - 60000000 - nowUs) / 1000)}
          end
        end
        if conc > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          if redis.call('ZCARD', KEYS[2]) >= conc then
            return {4, 1000}
          end
        end
        if tpm > 0 or tpd > 0 then
          local w = redis.call('HMGET', KEYS[3], 'm', 'mt', 'd', 'dt')
          local minute = math.floor(now / 60000)
          local day = math.floor(now / 86400000)
          if tpm > 0 and w[1] and tonumber(w[1]) == minute and tonumber(w[2] or '0') >= tpm then
            return {2, (minute + 1) * 60000 - now}
          end
          if tpd > 0 and w[3] and tonumber(w[3]) == day and tonumber(w[4] or '0') >= tpd then
            return {3, (day + 1) * 86400000 - now}
          end
        end
        if rpm > 0 then
          redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - nowUs) / 1000) + 1)
        end
        if conc > 0 then
          local ttl = tonumber(ARGV[6])
          redis.call('ZADD', KEYS[2], now + ttl, ARGV[5])
          redis.call('PEXPIRE', KEYS[2], ttl * 2)
        end
        return {0, 0}
        """;

    /// <summary>
    /// What a finished request leaves: its concurrency lease released, its tokens added to the budget windows and its
    /// usage counted in its hour. Also replays usage buffered while Redis was unavailable (mode 2: the day window only,
    /// and only when it is still that day; a minute window long past is not charged).
    /// KEYS: leases, tokens, usage hour, usage hours. ARGV: lease id (or empty), tokens to charge, budget mode (0 none,
    /// 1 now, 2 replay), the request's UTC day (days since 1970), model, requests, prompt tokens, completion tokens,
    /// errors, the hour (Unix seconds), retention (seconds), and whether to (re)index the hour: set its expiry and add
    /// it to the key's hours (the first write of an instance to a key's hour does it; later ones need not).
    /// </summary>
    public const string Finish = """
        if ARGV[1] ~= '' then
          redis.call('ZREM', KEYS[1], ARGV[1])
        end
        local spent = tonumber(ARGV[2])
        if spent > 0 and ARGV[3] ~= '0' then
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local minute = math.floor(now / 60000)
          local day = math.floor(now / 86400000)
          local w = redis.call('HMGET', KEYS[2], 'm', 'd')
          if ARGV[3] == '1' then
            if not (w[1] and tonumber(w[1]) == minute) then
              redis.call('HSET', KEYS[2], 'm', minute, 'mt', 0)
            end
            redis.call('HINCRBY', KEYS[2], 'mt', spent)
          end
          if ARGV[3] == '1' or tonumber(ARGV[4]) == day then
            if not (w[2] and tonumber(w[2]) == day) then
              redis.call('HSET', KEYS[2], 'd', day, 'dt', 0)
            end
            redis.call('HINCRBY', KEYS[2], 'dt', spent)
          end
          redis.call('PEXPIRE', KEYS[2], (day + 1) * 86400000 - now + 60000)
        end
        local requests = tonumber(ARGV[6])
        if requests > 0 then
          local model = ARGV[5]
          redis.call('HINCRBY', KEYS[3], 'r|' .. model, requests)
          if tonumber(ARGV[7]) > 0 then redis.call('HINCRBY', KEYS[3], 'p|' .. model, ARGV[7]) end
          if tonumber(ARGV[8]) > 0 then redis.call('HINCRBY', KEYS[3], 'c|' .. model, ARGV[8]) end
          if tonumber(ARGV[9]) > 0 then redis.call('HINCRBY', KEYS[3], 'e|' .. model, ARGV[9]) end
          if ARGV[12] == '1' then
            local hour = tonumber(ARGV[10])
            local retention = tonumber(ARGV[11])
            redis.call('EXPIRE', KEYS[3], retention)
            redis.call('ZADD', KEYS[4], hour, hour)
            redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', hour - retention)
            redis.call('EXPIRE', KEYS[4], retention)
          end
        end
        return 0
        """;

    /// <summary>
    /// Moves a running request's lease expiry on (only if it still exists: an expired lease is not revived).
    /// KEYS: leases. ARGV: lease id, lease time to live (ms). Returns 1 when renewed.
    /// </summary>
    public const string Renew = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl = tonumber(ARGV[2])
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
          return 0
        end
        redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ttl * 2)
        return 1
        """;

    /// <summary>
    /// One failed authentication from a client address, GCRA like <see cref="Acquire"/>: a burst of N a minute, then
    /// one every 60/N s. KEYS: the address's state. ARGV: failures allowed per minute. Returns 0, or the wait in ms.
    /// </summary>
    public const string AuthFailure = """
        local t = redis.call('TIME')
        local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local perMinute = tonumber(ARGV[1])
        local stored = redis.call('GET', KEYS[1])
        local tat = stored and tonumber(stored) or 0
        if tat < nowUs then tat = nowUs end
        tat = tat + 60000000 / perMinute
        if tat - 60000000 > nowUs then
          return math.ceil((tat - 60000000 - nowUs) / 1000)
        end
        redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - nowUs) / 1000) + 1)
        return 0
        """;
}
