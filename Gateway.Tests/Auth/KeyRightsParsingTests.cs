using System.Text;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;

namespace OllamaGateway.Tests.Auth;

public sealed class KeyRightsParsingTests
{
    private static ApiKey ParseOne(string entry) =>
        Assert.Single(KeyFileParser.Parse(Encoding.UTF8.GetBytes($$"""{"keys": [{{entry}}]}"""), "keys.json").Keys);

    [Fact]
    public void FullEntry_CarriesEveryRight()
    {
        var key = ParseOne("""{"name":"alice","key":"sk-a","prefix":"sk-a","models":["llama3.2*","qwen3:*"],"admin":true,"expires":"2027-06-30T00:00:00Z","disabled":false,"limits":{"requestsPerMinute":60,"concurrentRequests":2}}""");

        Assert.Equal(["llama3.2*", "qwen3:*"], key.Models.Patterns);
        Assert.True(key.Models.Allows("llama3.2:3b"));
        Assert.False(key.Models.Allows("mistral"));
        Assert.True(key.Admin);
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero), key.Expires);
        Assert.Equal(new KeyLimits(60, 2), key.Limits);
        Assert.Equal("sk-a", key.Prefix);
        Assert.True(key.IsPlainText);
    }

    [Fact]
    public void PlainStringEntry_HasDefaultRights()
    {
        var key = ParseOne("\"sk-original\"");

        Assert.True(key.Models.AllowsAll);
        Assert.False(key.Admin);
        Assert.Null(key.Expires);
        Assert.False(key.Disabled);
        Assert.Equal(KeyLimits.None, key.Limits);
    }

    [Fact]
    public void Expiry_IsInForceFromItsMoment()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 6, 29, 23, 59, 59, TimeSpan.Zero));
        var key = ParseOne("""{"name":"a","key":"sk-a","expires":"2027-06-30T02:00:00+02:00"}""");

        Assert.True(key.IsUsableAt(time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(key.IsUsableAt(time.GetUtcNow()));
    }

    [Theory]
    [InlineData("2027-06-30Z", "2027-06-30T00:00:00Z")] // the shortest form with a zone
    [InlineData("2027-06-30T00:00:00-07:00", "2027-06-30T07:00:00Z")]
    public void Expiry_WithAZone_IsAcceptedInItsShortAndLongForms(string written, string utc)
    {
        var key = ParseOne($$"""{"name":"a","key":"sk-a","expires":"{{written}}"}""");

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), key.Expires);
    }

    [Theory]
    [InlineData("sk-~")]
    [InlineData("!")]
    [InlineData("sk-ogw-12345")]
    public void Prefix_OfPrintableAsciiUpToTwelveCharacters_IsKept(string prefix)
    {
        Assert.Equal(prefix, ParseOne($$"""{"name":"a","key":"sk-a","prefix":"{{prefix}}"}""").Prefix);
    }

    [Fact]
    public void DisabledKey_IsNeverUsable()
    {
        Assert.False(ParseOne("""{"name":"a","key":"sk-a","disabled":true}""").IsUsableAt(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("""{"name":"a","key":"sk-a","models":"llama3.2"}""", "'models' must be an array")]
    [InlineData("""{"name":"a","key":"sk-a","models":["a b"]}""", "models[0] must be a model name or pattern")]
    [InlineData("""{"name":"a","key":"sk-a","models":[3]}""", "models[0] must be a model name or pattern")]
    [InlineData("""{"name":"a","key":"sk-a","admin":"yes"}""", "'admin' must be true or false")]
    [InlineData("""{"name":"a","key":"sk-a","disabled":1}""", "'disabled' must be true or false")]
    [InlineData("""{"name":"a","key":"sk-a","expires":"2027-06-30"}""", "'expires' must be an ISO 8601 time with a zone")]
    [InlineData("""{"name":"a","key":"sk-a","expires":"2027-06-30T00:00:00"}""", "'expires' must be an ISO 8601 time with a zone")]
    [InlineData("""{"name":"a","key":"sk-a","expires":"soon"}""", "'expires' must be an ISO 8601 time with a zone")]
    [InlineData("""{"name":"a","key":"sk-a","expires":1798675200}""", "'expires' must be an ISO 8601 time with a zone")]
    [InlineData("""{"name":"a","key":"sk-a","expires":"2027-06-3Z"}""", "'expires' must be an ISO 8601 time with a zone")]
    [InlineData("""{"name":"a","key":"sk-a","limits":5}""", "limits must be an object")]
    [InlineData("""{"name":"a","key":"sk-a","limits":{"requestsPerMinute":0}}""", "'requestsPerMinute' must be a whole number of at least 1")]
    [InlineData("""{"name":"a","key":"sk-a","limits":{"concurrentRequests":1.5}}""", "'concurrentRequests' must be a whole number of at least 1")]
    [InlineData("""{"name":"a","key":"sk-a","limits":{"rpm":5}}""", "unknown field 'rpm'")]
    [InlineData("""{"name":"a","key":"sk-a","limits":{"tokensPerMinute":0}}""", "keys[0].limits: 'tokensPerMinute' must be a whole number of at least 1")]
    [InlineData("""{"name":"a","key":"sk-a","limits":{"tokensPerDay":"1000"}}""", "keys[0].limits: 'tokensPerDay' must be a whole number of at least 1")]
    [InlineData("""{"name":"a","key":"sk-a","prefix":"sk-ogw-toolongprefix"}""", "'prefix'")]
    [InlineData("""{"name":"a","key":"sk-a","prefix":"sk a"}""", "'prefix'")]
    [InlineData("""{"name":"a","key":"sk-a","prefix":"sk-\u007f"}""", "'prefix'")]
    [InlineData("""{"name":"a","key":"sk-a","admin":true,"ADMIN":false}""", "appears twice")]
    public void MalformedRights_AreRejectedSayingWhere(string entry, string expected)
    {
        var error = Assert.Throws<KeyFileException>(() => ParseOne(entry));

        Assert.Contains("keys[0]", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
