using System.Text.Json.Nodes;
using OllamaGateway.Auth;

namespace OllamaGateway.Tests.Cli;

/// <summary><c>keys create --metrics --tpm N --tpd N</c>: the usage-accounting rights, written as the gateway reads them.</summary>
public sealed class KeysRightsTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void TokenBudgetsAndMetrics_AreStoredAsTheParserReadsThem()
    {
        var result = _cli.RunOnFile("create", "--name", "scraper", "--metrics", "--tpm", "20000", "--tpd=5000000000");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        var entry = Assert.Single(_cli.Parse().Keys);
        Assert.True(entry.Metrics);
        Assert.False(entry.Admin);
        Assert.Equal(new KeyLimits(null, null, 20_000, 5_000_000_000), entry.Limits);
        Assert.Contains("metrics yes", result.Output, StringComparison.Ordinal);
        Assert.Contains("20000 tokens/min, 5000000000 tokens/day", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheLimitsGiven_AreWritten()
    {
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "daily", "--tpd", "100000", "--rpm", "30").ExitCode);
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "plain").ExitCode);

        var entries = _cli.Entries();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"requestsPerMinute": 30, "tokensPerDay": 100000}"""), entries[0]!["limits"]));
        Assert.Null(entries[0]!["metrics"]);
        Assert.Equal(["name", "hash", "prefix"], entries[1]!.AsObject().Select(p => p.Key));
        Assert.Equal(new KeyLimits(30, null, null, 100_000), _cli.Parse().Keys[0].Limits);
    }

    [Fact]
    public void List_ShowsTokenBudgetsAndTheMetricsRight()
    {
        _cli.Write("""
            {"keys": [
              {"name": "scraper", "key": "sk-scraper-0123456789", "metrics": true},
              {"name": "budget", "key": "sk-budget-0123456789", "limits": {"concurrentRequests": 2, "tokensPerMinute": 1000, "tokensPerDay": 50000}},
              {"name": "root", "key": "sk-root-0123456789", "admin": true, "metrics": true}
            ]}
            """);

        var result = _cli.RunOnFile("list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal(["scraper", "(plain", "text)", "*", "metrics", "never", "no", "none"],
            Assert.Single(lines, l => l.StartsWith("scraper ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["budget", "(plain", "text)", "*", "no", "never", "no", "2", "concurrent,", "1000", "tokens/min,", "50000", "tokens/day"],
            Assert.Single(lines, l => l.StartsWith("budget ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["root", "(plain", "text)", "*", "yes", "never", "no", "none"],
            Assert.Single(lines, l => l.StartsWith("root ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static TheoryData<string[], string> BadValues => new()
    {
        { ["--tpm", "0"], "--tpm must be a whole number of at least 1 (got '0')" },
        { ["--tpm", "-5"], "--tpm must be a whole number of at least 1 (got '-5')" },
        { ["--tpm=1.5"], "--tpm must be a whole number of at least 1 (got '1.5')" },
        { ["--tpm", "1e6"], "--tpm must be a whole number of at least 1 (got '1e6')" },
        { ["--tpd", "many"], "--tpd must be a whole number of at least 1 (got 'many')" },
        { ["--tpd", "99999999999999999999"], "--tpd must be a whole number of at least 1" },
        { ["--tpd", "1,000"], "--tpd must be a whole number of at least 1" },
        { ["--tpm"], "--tpm needs a value" },
        { ["--tpd", "--metrics"], "--tpd needs a value" },
        { ["--tpm", "5", "--tpm", "6"], "--tpm is given twice" },
        { ["--metrics=yes"], "--metrics takes no value" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValues_Exit2WithAClearMessage_AndWriteNothing(string[] bad, string message)
    {
        var result = _cli.RunOnFile(["create", "--name", "a", .. bad]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.False(File.Exists(_cli.KeysFile));
    }

    [Theory]
    [InlineData("--metrics")]
    [InlineData("--tpm", "5")]
    [InlineData("--tpd", "5")]
    public void NewRights_DoNotApplyToOtherCommands(params string[] option)
    {
        _cli.Write("""{"keys": []}""");

        var result = _cli.RunOnFile(["list", .. option]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Option '{option[0]}' does not apply to 'keys list'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateHelp_DescribesTheNewOptions()
    {
        var result = _cli.Run("create", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--tpm <N>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--tpd <N>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--metrics", result.Output, StringComparison.Ordinal);
        Assert.Contains("[--metrics]", result.Output, StringComparison.Ordinal);
        Assert.Contains("[--tpm N] [--tpd N]", result.Output, StringComparison.Ordinal);
    }
}
