using System.Globalization;
using System.Text;
using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// The <c>keys list</c> table. It shows what tells keys apart and what they may do, and never a key or a hash:
/// a plain-text entry shows "(plain text)" instead of its first characters. ADMIN says "metrics" for a key that
/// is not an admin but may read <c>GET /metrics</c> (an admin always may), so the columns stay as they were.
/// </summary>
internal static class KeyTable
{
    private static readonly string[] s_headings = ["NAME", "PREFIX", "MODELS", "ADMIN", "EXPIRES", "DISABLED", "LIMITS"];

    public static void Write(TextWriter output, IReadOnlyList<ApiKey> keys, DateTimeOffset now)
    {
        var rows = new List<string[]> { s_headings };
        rows.AddRange(keys.Select(key => new[]
        {
            key.Name,
            key.IsPlainText ? "(plain text)" : key.Prefix ?? "(hash only)",
            Models(key),
            Admin(key),
            key.Expires is { } expires ? NewKeyEntry.FormatExpiry(expires) + (expires <= now ? " EXPIRED" : string.Empty) : "never",
            key.Disabled ? "yes" : "no",
            Limits(key.Limits),
        }));

        var widths = Enumerable.Range(0, s_headings.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var column = 0; column < row.Length; column++)
            {
                line.Append(column == row.Length - 1 ? row[column] : row[column].PadRight(widths[column] + 2));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>The rights in one phrase, for the line <c>keys create</c> prints.</summary>
    public static string Describe(ApiKey key) =>
        $"models {Models(key)}; admin {(key.Admin ? "yes" : "no")}; metrics {(key.Admin || key.Metrics ? "yes" : "no")}; expires {(key.Expires is { } e ? NewKeyEntry.FormatExpiry(e) : "never")}; limits {Limits(key.Limits)}";

    private static string Admin(ApiKey key) => key.Admin ? "yes" : key.Metrics ? "metrics" : "no";

    private static string Models(ApiKey key) => key.Models.AllowsAll ? "*" : string.Join(",", key.Models.Patterns);

    private static string Limits(KeyLimits limits)
    {
        var parts = new List<string>();
        if (limits.RequestsPerMinute is { } perMinute)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{perMinute}/min"));
        }

        if (limits.ConcurrentRequests is { } concurrent)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{concurrent} concurrent"));
        }

        if (limits.TokensPerMinute is { } tokensPerMinute)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{tokensPerMinute} tokens/min"));
        }

        if (limits.TokensPerDay is { } tokensPerDay)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{tokensPerDay} tokens/day"));
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
