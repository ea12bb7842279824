using System.Globalization;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Policy;

namespace OllamaGateway.Usage;

/// <summary>
/// Reads the filters of a usage report, as <c>GET /gateway/usage</c> takes them in its query string and the
/// <c>usage</c> command on its command line: <c>since</c> and <c>until</c> (an ISO 8601 time with a zone, a date,
/// which is UTC midnight, or a duration back from now such as <c>30d</c>, <c>12h</c>, <c>90m</c>), <c>key</c>,
/// <c>model</c> (a glob as in key rights) and <c>by</c> (<c>key</c>, <c>model</c>, <c>day</c>, <c>hour</c>,
/// comma-separated). Defaults: the last 30 days, grouped by key and model.
/// </summary>
public static class UsageQueryParser
{
    /// <summary>How far back a report goes when <c>since</c> is not given.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    /// <summary>The groupings when <c>by</c> is not given.</summary>
    public static IReadOnlyList<UsageGrouping> DefaultGrouping { get; } = [UsageGrouping.Key, UsageGrouping.Model];

    /// <summary>Reads the filters; returns null with <paramref name="error"/> set (naming the filter) when one is wrong.</summary>
    public static UsageQuery? TryParse(string? since, string? until, string? key, string? model, string? by, DateTimeOffset now, out string? error)
    {
        error = null;
        var end = now;
        if (!string.IsNullOrEmpty(until) && !TryParseMoment(until, now, out end))
        {
            error = $"'until' must be a time with a zone (2026-11-01T00:00:00Z), a date (2026-11-01) or a duration back from now (30d, 12h, 90m); got '{ClientText.Quote(until)}'.";
            return null;
        }

        var start = end - DefaultPeriod;
        if (!string.IsNullOrEmpty(since) && !TryParseMoment(since, now, out start))
        {
            error = $"'since' must be a time with a zone (2026-11-01T00:00:00Z), a date (2026-11-01) or a duration back from now (30d, 12h, 90m); got '{ClientText.Quote(since)}'.";
            return null;
        }

        if (start >= end)
        {
            error = "'since' must be before 'until'.";
            return null;
        }

        if (!string.IsNullOrEmpty(key) && !KeyFileParser.IsValidName(key))
        {
            error = $"'key' must be a key name (1 to 64 letters, digits, '.', '_' or '-'); got '{ClientText.Quote(key)}'.";
            return null;
        }

        if (!string.IsNullOrEmpty(model) && !ModelAccess.IsValidPattern(model))
        {
            error = $"'model' must be a model name or pattern such as llama3.2* ; got '{ClientText.Quote(model)}'.";
            return null;
        }

        var grouping = DefaultGrouping;
        if (by is not null && !TryParseGrouping(by, out grouping, out error))
        {
            return null;
        }

        return new UsageQuery(start, end, string.IsNullOrEmpty(key) ? null : key, string.IsNullOrEmpty(model) ? null : model, grouping);
    }

    /// <summary>The name of a grouping as filters and reports write it.</summary>
    public static string NameOf(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Key => "key",
        UsageGrouping.Model => "model",
        UsageGrouping.Day => "day",
        _ => "hour",
    };

    // An empty 'by' asks for the totals only.
    private static bool TryParseGrouping(string text, out IReadOnlyList<UsageGrouping> grouping, out string? error)
    {
        var list = new List<UsageGrouping>();
        grouping = list;
        error = null;
        if (text.Trim().Length == 0)
        {
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            UsageGrouping? item = part switch
            {
                "key" => UsageGrouping.Key,
                "model" => UsageGrouping.Model,
                "day" => UsageGrouping.Day,
                "hour" => UsageGrouping.Hour,
                _ => null,
            };
            if (item is not { } value)
            {
                error = $"'by' takes key, model, day and hour, comma-separated; got '{ClientText.Quote(part)}'.";
                return false;
            }

            if (list.Contains(value))
            {
                error = $"'by' names '{part}' twice.";
                return false;
            }

            list.Add(value);
        }

        if (list.Contains(UsageGrouping.Day) && list.Contains(UsageGrouping.Hour))
        {
            error = "'by' takes day or hour, not both.";
            return false;
        }

        return true;
    }

    private static bool TryParseMoment(string text, DateTimeOffset now, out DateTimeOffset moment)
    {
        text = text.Trim();
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount is > 0 and <= 100_000)
        {
            TimeSpan? back = text[^1] switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (back is { } span)
            {
                moment = now - span;
                return true;
            }
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            moment = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
            return true;
        }

        // A time needs its zone, Z or ±hh:mm: "2026-11-01T10:00" alone would mean the server's local time.
        if ((text.EndsWith('Z') || text is [.., '+' or '-', _, _, ':', _, _])
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out moment))
        {
            return true;
        }

        moment = default;
        return false;
    }
}
