using System.Text.Encodings.Web;
using System.Text.Json;
using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class KeepAliveTests
{
    // Reads the forwarded value back without the test side escaping '+' as \u002B.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Default cap: 30 minutes, written as 1800 seconds when applied.
    [Theory]
    [InlineData("\"5m\"", "\"5m\"")]
    [InlineData("\"30m\"", "\"30m\"")]
    [InlineData("\"30m0s\"", "\"30m0s\"")]
    [InlineData("\"1800s\"", "\"1800s\"")]
    [InlineData("\"+2m\"", "\"+2m\"")]
    [InlineData("\"1.5m\"", "\"1.5m\"")]
    [InlineData("\"1h\"", "1800")]
    [InlineData("\"1h30m\"", "1800")]
    [InlineData("\"30m1s\"", "1800")]
    [InlineData("\"24h\"", "1800")]
    [InlineData("\"-1s\"", "1800")]
    [InlineData("\"-5m\"", "1800")]
    [InlineData("\"0\"", "\"0\"")]
    [InlineData("\"0s\"", "\"0s\"")]
    [InlineData("\"-0\"", "\"-0\"")]
    [InlineData("0", "0")]
    [InlineData("-0", "-0")]
    [InlineData("0.0", "0.0")]
    [InlineData("300", "300")]
    [InlineData("1800", "1800")]
    [InlineData("1800.0", "1800.0")]
    [InlineData("2.5", "2.5")]
    [InlineData("1801", "1800")]
    [InlineData("1e10", "1800")]
    [InlineData("-1", "1800")]
    [InlineData("-0.001", "1800")]
    [InlineData("null", "null")]
    public void KeepAlive_NegativeOrAboveCapBecomesCap(string given, string forwarded)
    {
        foreach (var endpoint in new[] { OllamaEndpoint.Chat, OllamaEndpoint.Generate, OllamaEndpoint.Embed, OllamaEndpoint.Embeddings })
        {
            var body = GuardRun.Body(endpoint, $$"""{"model":"m","keep_alive":{{given}}}""");

            Assert.True(body.ContainsKey("keep_alive"));
            Assert.Equal(forwarded, body["keep_alive"]?.ToJsonString(Relaxed) ?? "null");
        }
    }

    [Theory]
    [InlineData("\"-1\"")]
    [InlineData("\"300\"")]
    [InlineData("\"bad\"")]
    [InlineData("\"\"")]
    [InlineData("\"5 m\"")]
    [InlineData("\"5M\"")]
    [InlineData("\"1d\"")]
    [InlineData("\"9999999999h\"")]
    public void KeepAliveStringGoCannotParse_Refused400WithTheFormsAccepted(string given)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, $$"""{"model":"m","messages":[],"keep_alive":{{given}}}""");

        Assert.Equal("Invalid value for 'keep_alive': expected a duration such as \"5m\" or \"1h30m\", or a number of seconds.", error.Message);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("[\"5m\"]")]
    [InlineData("{\"minutes\":5}")]
    public void KeepAliveOfAnotherType_Refused400WithTheTypesAccepted(string given)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, $$"""{"model":"m","messages":[],"keep_alive":{{given}}}""");

        Assert.Equal("Invalid type for 'keep_alive': expected a duration string or a number of seconds.", error.Message);
    }

    [Fact]
    public void KeepAliveNumberGoCannotHold_Refused400()
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, """{"model":"m","messages":[],"keep_alive":1e400}""");

        Assert.Equal("Invalid value for 'keep_alive': the number is out of range.", error.Message);
    }

    [Fact]
    public void KeepAliveAbsent_StaysAbsent()
    {
        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"model":"m","prompt":"p"}""");

        Assert.False(body.ContainsKey("keep_alive"));
    }

    [Fact]
    public void FractionalCap_WrittenAsDecimalSeconds()
    {
        var caps = new RequestCaps(10, 10, TimeSpan.FromMilliseconds(1500));

        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"model":"m","prompt":"p","keep_alive":"-1s"}""", caps);

        Assert.Equal(1.5, body["keep_alive"]!.GetValue<double>());
    }

    [Fact]
    public void HugeWholeSecondCap_WrittenAsExactInteger()
    {
        // About 7800 years: its TotalSeconds as a double is 247371079926.00003, which a log reader should not see.
        var caps = new RequestCaps(10, 10, TimeSpan.FromSeconds(247_371_079_926));

        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"model":"m","prompt":"p","keep_alive":"-1s"}""", caps);

        Assert.Equal("247371079926", body["keep_alive"]!.ToJsonString());
    }

    [Fact]
    public void KeepAliveOnNonInferenceEndpoint_PassesThrough()
    {
        // /api/show loads nothing; Ollama ignores the field there.
        var body = GuardRun.Body(OllamaEndpoint.Show, """{"model":"m","keep_alive":-1}""");

        Assert.Equal(-1, body["keep_alive"]!.GetValue<int>());
    }
}
