using Microsoft.Data.Sqlite;
using OllamaGateway.Policy;

namespace OllamaGateway.Usage.Ledger;

/// <summary>
/// <c>model_matches(pattern, model)</c> in SQL: a report's model filter matched the way key rights are (globs over
/// Ollama's names, <c>*</c> never crossing <c>/</c>, case-insensitive, cloud models only when named), so
/// <c>--model 'llama*'</c> means the same in a report as in keys.json.
/// </summary>
internal static class ModelMatch
{
    /// <summary>Registers the function on <paramref name="connection"/> for the one <paramref name="pattern"/> a query uses.</summary>
    public static void Register(SqliteConnection connection, string? pattern)
    {
        var access = pattern is null ? null : ModelAccess.FromPatterns([pattern]);
        // Stryker disable once all : isDeterministic only lets SQLite's planner factor calls out; the results are the same
        connection.CreateFunction<string, string?, bool>("model_matches", (_, model) =>
            model is not null && access is not null && access.Allows(model), isDeterministic: true);
    }
}
