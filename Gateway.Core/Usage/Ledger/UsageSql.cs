using System.Text;
using Microsoft.Data.Sqlite;

namespace OllamaGateway.Usage.Ledger;

/// <summary>The ledger's report queries: one <c>GROUP BY</c> over the chosen groupings, and the totals.</summary>
internal static class UsageSql
{
    private const string Counters =
        "COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(CASE WHEN outcome <> '" + RequestOutcomeNames.Completed + "' THEN 1 ELSE 0 END)";

    /// <summary>The rows' query: the grouping columns in the query's order, then the counters.</summary>
    public static string Rows(UsageQuery query)
    {
        var columns = string.Join(", ", query.By.Select(Column));
        return new StringBuilder()
            .Append("SELECT ").Append(columns).Append(", ").Append(Counters)
            .Append(" FROM requests").Append(Where)
            .Append(" GROUP BY ").Append(columns)
            .Append(" ORDER BY ").Append(columns)
            .ToString();
    }

    /// <summary>The totals' query.</summary>
    public static string Totals() => $"SELECT {Counters} FROM requests{Where}";

    /// <summary>Binds the query's filters.</summary>
    public static void Bind(SqliteCommand command, UsageQuery query)
    {
        command.Parameters.AddWithValue("$since", query.Since.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$until", query.Until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$key", (object?)query.Key ?? DBNull.Value);
        command.Parameters.AddWithValue("$model", (object?)query.Model ?? DBNull.Value);
    }

    private const string Where =
        " WHERE time >= $since AND time < $until AND ($key IS NULL OR key = $key) AND ($model IS NULL OR model_matches($model, model))";

    private static string Column(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Key => "key",
        UsageGrouping.Model => "model",
        UsageGrouping.Day => "(time / 86400000) * 86400000",
        UsageGrouping.Hour => "(time / 3600000) * 3600000",
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, null),
    };
}
