using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class GoDurationTests
{
    // Expected values are what Go's time.ParseDuration returns, in nanoseconds.
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("5m", 300_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("-1s", -1_000_000_000L)]
    [InlineData("+2m", 120_000_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("1us", 1_000L)]
    [InlineData("1\u00B5s", 1_000L)]
    [InlineData("1\u03BCs", 1_000L)]
    [InlineData("7ns", 7L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1h1m1s1ms", 3_661_001_000_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    [InlineData("2562047h", 9_223_369_200_000_000_000L)]
    [InlineData(".25s", 250_000_000L)]
    [InlineData("0.105s", 105_000_000L)]
    [InlineData("2.25h", 8_100_000_000_000L)]
    [InlineData("-9223372036854775808.5ns", long.MinValue)]
    public void ValidDuration_ParsedAsGoDoes(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var parsed));
        Assert.Equal(nanoseconds, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("300")]
    [InlineData("5x")]
    [InlineData("5M")]
    [InlineData("1d")]
    [InlineData(".s")]
    [InlineData("s")]
    [InlineData("5 m")]
    [InlineData(" 5m")]
    [InlineData("5m ")]
    [InlineData("9223372036854775808ns")]
    [InlineData("2562048h")]
    [InlineData("99999999999999999999s")]
    [InlineData("1.5")]
    [InlineData("1.")]
    [InlineData("9223372036854775809ns")]
    [InlineData("-9223372036854775809ns")]
    [InlineData("2562047.9h")]
    [InlineData("-2562047.9h")]
    [InlineData("-9223372036854775808ns1ns")]
    public void InvalidDuration_Refused(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    // Go's leadingFraction keeps the first 19 digits (up to 2^63) and ignores the rest without an error.
    [Theory]
    [InlineData(".20000000000000000000h", 720_000_000_000L)]
    [InlineData(".1234567890123456789012345s", 123_456_789L)]
    public void FractionBeyond19Digits_ExtraDigitsIgnored(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var parsed));
        Assert.Equal(nanoseconds, parsed);
    }

    [Fact]
    public void Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => GoDuration.TryParse(null!, out _));
    }
}
