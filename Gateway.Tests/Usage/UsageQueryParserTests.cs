using OllamaGateway.Usage;

namespace OllamaGateway.Tests.Usage;

public sealed class UsageQueryParserTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Defaults_AreTheLast30DaysByKeyAndModel()
    {
        var query = UsageQueryParser.TryParse(null, null, null, null, null, s_now, out var error);

        Assert.Null(error);
        Assert.Equal(s_now.AddDays(-30), query!.Since);
        Assert.Equal(s_now, query.Until);
        Assert.Equal([UsageGrouping.Key, UsageGrouping.Model], query.By);
    }

    [Theory]
    [InlineData("7d", "2026-11-22T12:00:00Z")]
    [InlineData("12h", "2026-11-29T00:00:00Z")]
    [InlineData("90m", "2026-11-29T10:30:00Z")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T06:00:00+02:00", "2026-11-01T04:00:00Z")]
    public void Since_TakesDurationsDatesAndZonedTimes(string since, string expected)
    {
        var query = UsageQueryParser.TryParse(since, null, "alice", "llama*", "day,key", s_now, out _);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), query!.Since);
        Assert.Equal("alice", query.Key);
        Assert.Equal("llama*", query.Model);
        Assert.Equal([UsageGrouping.Day, UsageGrouping.Key], query.By);
    }

    [Theory]
    [InlineData("2026-11-01T06:00:00", null, null, null, "'since'")]
    [InlineData("yesterday", null, null, null, "'since'")]
    [InlineData("0d", null, null, null, "'since' must be a time")]
    [InlineData(null, "soon", null, null, "'until'")]
    [InlineData("1d", "2d", null, null, "before 'until'")]
    [InlineData(null, null, "bad name", null, "'key'")]
    [InlineData(null, null, null, "llama 3", "'model'")]
    public void BadFilters_AreRefusedNamingTheFilter(string? since, string? until, string? key, string? model, string expected)
    {
        var query = UsageQueryParser.TryParse(since, until, key, model, null, s_now, out var error);

        Assert.Null(query);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("week", "'by' takes key, model, day and hour")]
    [InlineData("key,key", "twice")]
    [InlineData("day,hour", "day or hour")]
    public void BadGrouping_IsRefused(string by, string expected)
    {
        Assert.Null(UsageQueryParser.TryParse(null, null, null, null, by, s_now, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1m", "2026-11-29T11:59:00Z")] // the shortest duration
    [InlineData("100000d", "1753-02-13T12:00:00Z")] // the longest: 100,000 days back
    [InlineData(" 2026-11-01 ", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T06:00:00-02:00", "2026-11-01T08:00:00Z")]
    public void Since_AcceptsTheBoundsOfEachForm(string since, string expected)
    {
        var query = UsageQueryParser.TryParse(since, null, null, null, null, s_now, out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), query!.Since);
    }

    [Theory]
    [InlineData("100001d")]
    [InlineData("-1d")]
    [InlineData("d")]
    [InlineData("5w")]
    [InlineData("2026-11-01T06:00:00+0200")]
    [InlineData("2026-11-1")] // a date is four, two and two digits; without a zone it is no time either
    [InlineData("2026-11-01T10")] // a '-' six from the end is no zone
    public void Since_RefusesWhatIsNoneOfTheForms(string since)
    {
        Assert.Null(UsageQueryParser.TryParse(since, null, null, null, null, s_now, out var error));
        Assert.Contains("'since' must be", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Until_TakesTheSameForms_AndTheDefaultPeriodEndsThere()
    {
        var query = UsageQueryParser.TryParse(null, "2026-11-10", null, null, null, s_now, out _);

        Assert.Equal(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero), query!.Until);
        Assert.Equal(new DateTimeOffset(2026, 10, 11, 0, 0, 0, TimeSpan.Zero), query.Since);
    }

    [Fact]
    public void AnEmptyPeriod_IsRefused()
    {
        Assert.Null(UsageQueryParser.TryParse("2026-11-01", "2026-11-01T00:00:00Z", null, null, null, s_now, out var error));
        Assert.Equal("'since' must be before 'until'.", error);
    }

    [Fact]
    public void EmptyKeyAndModel_FilterNothing()
    {
        var query = UsageQueryParser.TryParse(null, null, "", "", null, s_now, out var error);

        Assert.Null(error);
        Assert.Null(query!.Key);
        Assert.Null(query.Model);
    }

    [Theory]
    [InlineData("hour, model", new[] { UsageGrouping.Hour, UsageGrouping.Model })]
    [InlineData("model,day", new[] { UsageGrouping.Model, UsageGrouping.Day })]
    [InlineData("key", new[] { UsageGrouping.Key })]
    public void Grouping_KeepsTheOrderGiven(string by, UsageGrouping[] expected)
    {
        Assert.Equal(expected, UsageQueryParser.TryParse(null, null, null, null, by, s_now, out _)!.By);
    }

    [Fact]
    public void GroupingNames_AreTheOnesTheFilterTakes()
    {
        foreach (var grouping in Enum.GetValues<UsageGrouping>())
        {
            var name = UsageQueryParser.NameOf(grouping);
            Assert.Equal([grouping], UsageQueryParser.TryParse(null, null, null, null, name, s_now, out _)!.By);
        }
    }

    [Fact]
    public void EmptyGrouping_AsksForTotalsOnly() =>
        Assert.Empty(UsageQueryParser.TryParse(null, null, null, null, "", s_now, out _)!.By);

    [Fact]
    public void HugeValues_AreQuotedCut()
    {
        UsageQueryParser.TryParse(new string('x', 100_000), null, null, null, null, s_now, out var error);

        Assert.True(error!.Length < 400);
    }
}
