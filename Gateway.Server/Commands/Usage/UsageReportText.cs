using System.Globalization;
using OllamaGateway.Usage;

namespace OllamaGateway.Server.Commands.Usage;

/// <summary>A usage report as a text table with totals, or as CSV with a header line.</summary>
internal static class UsageReportText
{
    private static readonly string[] s_counterHeaders = ["REQUESTS", "PROMPT", "COMPLETION", "TOTAL", "ERRORS"];

    public static void WriteTable(TextWriter output, UsageReport report)
    {
        output.WriteLine($"Usage from {Time(report.Query.Since)} to {Time(report.Query.Until)} (UTC){Filters(report.Query)}");
        output.WriteLine();
        var headers = report.Query.By.Select(grouping => UsageQueryParser.NameOf(grouping).ToUpperInvariant()).Concat(s_counterHeaders).ToArray();
        var rows = report.Rows.Select(row => Groups(report.Query, row).Concat(Counters(row.Counters)).ToArray()).ToList();
        var totals = Enumerable.Repeat(string.Empty, report.Query.By.Count).Concat(Counters(report.Totals)).ToArray();
        if (totals.Length > s_counterHeaders.Length)
        {
            totals[0] = "total";
        }

        var widths = headers.Select((header, i) => rows.Append(totals).Select(cells => cells[i].Length).Append(header.Length).Max()).ToArray();
        var groups = report.Query.By.Count;
        output.WriteLine(Line(headers, widths, groups));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths, groups));
        }

        output.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        output.WriteLine(Line(totals, widths, groups));
    }

    public static void WriteCsv(TextWriter output, UsageReport report)
    {
        output.WriteLine(string.Join(",", report.Query.By.Select(UsageQueryParser.NameOf).Concat(["requests", "prompt_tokens", "completion_tokens", "total_tokens", "errors"])));
        foreach (var row in report.Rows)
        {
            output.WriteLine(string.Join(",", Groups(report.Query, row).Select(Csv).Concat(Counters(row.Counters))));
        }
    }

    private static IEnumerable<string> Groups(UsageQuery query, UsageRow row) => query.By.Select(grouping => grouping switch
    {
        UsageGrouping.Key => row.Key ?? "-",
        UsageGrouping.Model => row.Model ?? "-",
        UsageGrouping.Day => row.Period?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
        _ => row.Period?.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture) ?? "-",
    });

    private static IEnumerable<string> Counters(UsageCounters counters) =>
    [
        counters.Requests.ToString(CultureInfo.InvariantCulture),
        counters.PromptTokens.ToString(CultureInfo.InvariantCulture),
        counters.CompletionTokens.ToString(CultureInfo.InvariantCulture),
        counters.TotalTokens.ToString(CultureInfo.InvariantCulture),
        counters.Errors.ToString(CultureInfo.InvariantCulture),
    ];

    // Text columns left-aligned, numbers right-aligned.
    private static string Line(string[] cells, int[] widths, int textColumns) =>
        string.Join("  ", cells.Select((cell, i) => i < textColumns ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Filters(UsageQuery query) =>
        (query.Key is null ? string.Empty : $", key {query.Key}") + (query.Model is null ? string.Empty : $", models {query.Model}");
}
