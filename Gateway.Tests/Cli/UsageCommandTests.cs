using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Tests.Cli;

/// <summary><c>usage</c> reads the ledger beside the keys file and prints a table with totals, JSON or CSV.</summary>
public sealed class UsageCommandTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public UsageCommandTests()
    {
        File.WriteAllText(_directory.PathOf("keys.json"), """{"keys": []}""");
        using var ledger = SqliteUsageLedger.OpenForWriting(_directory.PathOf("usage.db"));
        ledger.Append(
        [
            new UsageEntry(s_now.AddDays(-1), "alice", "/api/chat", "llama3.2", "default", 200, RequestOutcome.Completed, null, 10, 30, false, 10, 1),
            new UsageEntry(s_now.AddDays(-1), "alice", "/v1/embeddings", "nomic-embed-text", "default", 200, RequestOutcome.Completed, null, 7, 0, false, 10, 1),
            new UsageEntry(s_now.AddDays(-2), "bob", "/api/chat", "llama3.2", "default", 200, RequestOutcome.ClientClosed, null, 3, 4, true, 10, 1),
            new UsageEntry(s_now.AddDays(-40), "bob", "/api/chat", "llama3.2", "default", 200, RequestOutcome.Completed, null, 1000, 1000, false, 10, 1),
        ]);
    }

    public void Dispose() => _directory.Dispose();

    private (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLine.Run(["usage", .. args], new CommandContext(output, error, new FakeTimeProvider(s_now), _directory.Path));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Default_IsTheLast30DaysByKeyAndModel_AsATableWithTotals()
    {
        var (exit, output, _) = Run();

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Usage from 2026-10-30 12:00 to 2026-11-29 12:00 (UTC)", lines[0]);
        Assert.Matches(@"^KEY\s+MODEL\s+REQUESTS\s+PROMPT\s+COMPLETION\s+TOTAL\s+ERRORS$", lines[1]);
        Assert.Matches(@"^alice\s+llama3\.2\s+1\s+10\s+30\s+40\s+0$", lines[2]);
        Assert.Matches(@"^alice\s+nomic-embed-text\s+1\s+7\s+0\s+7\s+0$", lines[3]);
        Assert.Matches(@"^bob\s+llama3\.2\s+1\s+3\s+4\s+7\s+1$", lines[4]);
        Assert.Matches(@"^total\s+3\s+20\s+34\s+54\s+1$", lines[^1]);
    }

    [Fact]
    public void JsonAndCsv_CarryTheSameCounts()
    {
        var json = System.Text.Json.JsonDocument.Parse(Run("--format", "json", "--by", "key").Output).RootElement;
        var csv = Run("--format", "csv", "--by", "key", "--since", "2026-11-28").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(54, json.GetProperty("totals").GetProperty("total_tokens").GetInt64());
        Assert.Equal(["alice", "bob"], json.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("key").GetString()));
        Assert.Equal("key,requests,prompt_tokens,completion_tokens,total_tokens,errors", csv[0].TrimEnd());
        Assert.Equal("alice,2,17,30,47,0", csv[1].TrimEnd());
        Assert.Equal(2, csv.Length);
    }

    [Fact]
    public void Filters_NarrowTheReport()
    {
        var (_, output, _) = Run("--key", "bob", "--since", "60d", "--by", "day", "--format", "csv");

        Assert.Equal(["day,requests,prompt_tokens,completion_tokens,total_tokens,errors", "2026-10-20,1,1000,1000,2000,0", "2026-11-27,1,3,4,7,1"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since must be")]
    [InlineData("--by", "week", "--by takes key, model, day and hour")]
    [InlineData("--format", "xml", "--format takes table, json or csv")]
    public void BadArguments_Exit2NamingTheOption(string option, string value, string expected)
    {
        var (exit, _, error) = Run(option, value);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoLedger_Exit1SayingWhere()
    {
        File.Delete(_directory.PathOf("usage.db"));

        var (exit, _, error) = Run();

        Assert.Equal(1, exit);
        Assert.Contains("No usage ledger at", error, StringComparison.Ordinal);
    }
}
