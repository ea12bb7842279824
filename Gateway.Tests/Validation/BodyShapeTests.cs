using System.Text;
using System.Text.Json.Nodes;
using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class BodyShapeTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"model":"m",}""")]
    [InlineData("""{"model":"m"} {}""")]
    [InlineData("""{"model":"m"}x""")]
    [InlineData("""{"model":"m"}{"model":"n"}""")]
    [InlineData("""{/* c */"model":"m"}""")]
    [InlineData("""{'model':'m'}""")]
    [InlineData("""{"model":"m","prompt":"\ud800"}""")]
    [InlineData("""{"model":"m","x":NaN}""")]
    public void InvalidJson_Refused400(string json)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, json);

        Assert.Contains("valid UTF-8 JSON object", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"model\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void NotAnObject_Refused400(string json)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, json);

        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8_Refused400()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"model":"m","prompt":" """), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];

        GuardRun.Refuse(OllamaEndpoint.Generate, body);
    }

    [Fact]
    public void NestingOf64_Accepted()
    {
        // The top-level object is level 1, so 63 more levels of arrays make 64.
        var json = """{"model":"m","format":""" + new string('[', 63) + new string(']', 63) + "}";

        var body = GuardRun.Body(OllamaEndpoint.Generate, json);

        Assert.Equal(new string('[', 63) + new string(']', 63), body["format"]!.ToJsonString());
    }

    [Fact]
    public void NestingOf65_Refused400NamingTheLimit()
    {
        var json = """{"model":"m","format":""" + new string('[', 64) + new string(']', 64) + "}";

        var error = GuardRun.Refuse(OllamaEndpoint.Generate, json);

        Assert.Contains("64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepObjectsInsideMessages_Refused400()
    {
        var deep = string.Concat(Enumerable.Repeat("""{"a":""", 70)) + "1" + new string('}', 70);
        var json = $$$"""{"model":"m","messages":[{"role":"user","content":"hi","tool_calls":[{"function":{"arguments":{{{deep}}}}}]}]}""";

        var error = GuardRun.Refuse(OllamaEndpoint.Chat, json);

        Assert.Contains("levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OddWhitespace_GoneFromForwardedBody()
    {
        var json = "{ \n\t\"model\" :  \"m\" ,\r\n \"prompt\"\t:\"hi\"  , \"options\" : { \"num_predict\" : 10 } }  \n";

        var request = GuardRun.Accept(OllamaEndpoint.Generate, json);

        Assert.Equal("""{"model":"m","prompt":"hi","options":{"num_predict":10}}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void BigNumbers_ForwardedWithTheirExactText()
    {
        var json = """{"model":"m","prompt":"p","context":[12345678901234567890123,1.000000000000000000001,-0,1E+400],"options":{"seed":98765432109876543210,"temperature":0.1000000000000000055511151231257827}}""";

        var body = GuardRun.Body(OllamaEndpoint.Generate, json);

        Assert.Equal("[12345678901234567890123,1.000000000000000000001,-0,1E+400]", body["context"]!.ToJsonString());
        Assert.Equal("98765432109876543210", body["options"]!["seed"]!.ToJsonString());
        Assert.Equal("0.1000000000000000055511151231257827", body["options"]!["temperature"]!.ToJsonString());
    }

    [Fact]
    public void UnicodeAndEscapes_ValuesIntact()
    {
        var json = """{"model":"m","prompt":"h\u00e9llo \"q\" \\ \n 日本語 😀 \ud83d\ude00 </script>","system":"tab\there"}""";

        var body = GuardRun.Body(OllamaEndpoint.Generate, json);

        Assert.Equal("héllo \"q\" \\ \n 日本語 😀 😀 </script>", body["prompt"]!.GetValue<string>());
        Assert.Equal("tab\there", body["system"]!.GetValue<string>());
    }

    [Fact]
    public void NonAsciiText_WrittenAsUtf8NotEscapes()
    {
        var request = GuardRun.Accept(OllamaEndpoint.Generate, """{"model":"m","prompt":"日本語"}""");

        Assert.Contains("日本語", Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void EscapedKey_UnescapedInForwardedBody()
    {
        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"mod\u0065l":"m","prompt":"p"}""");

        Assert.Equal("m", body["model"]!.GetValue<string>());
    }

    [Fact]
    public void UnknownFieldsAndStream_PassThroughUnchanged()
    {
        var json = """{"model":"m","messages":[{"role":"user","content":"hi","extra":[1,{"k":null}]}],"stream":false,"format":{"type":"object","properties":{"url":{"type":"string"}}},"x_custom":{"a":[true,false,null]}}""";

        var body = GuardRun.Body(OllamaEndpoint.Chat, json);

        Assert.False(body["stream"]!.GetValue<bool>());
        Assert.Equal("""{"a":[true,false,null]}""", body["x_custom"]!.ToJsonString());
        Assert.Equal("""[1,{"k":null}]""", body["messages"]![0]!["extra"]!.ToJsonString());
        Assert.Equal("""{"type":"object","properties":{"url":{"type":"string"}}}""", body["format"]!.ToJsonString());
    }

    [Fact]
    public void ForwardedBody_IsNewBytesNotTheClientsBuffer()
    {
        var json = Encoding.UTF8.GetBytes("""{"model":"m","prompt":"p","options":{"num_predict":5}}""");

        var request = GuardRun.Accept(OllamaEndpoint.Generate, json);
        json[10] = (byte)'X';

        Assert.Equal("m", JsonNode.Parse(request.Body)!["model"]!.GetValue<string>());
    }
}
