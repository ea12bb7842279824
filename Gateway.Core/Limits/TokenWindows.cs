namespace OllamaGateway.Limits;

/// <summary>Where the budget windows begin: the clock's minute and the UTC calendar day.</summary>
internal static class TokenWindows
{
    /// <summary>The start of the UTC minute <paramref name="now"/> falls in.</summary>
    public static DateTimeOffset MinuteStart(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>The start of the UTC day <paramref name="now"/> falls in.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset now) => new(now.UtcDateTime.Date, TimeSpan.Zero);
}
