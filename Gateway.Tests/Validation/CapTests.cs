using System.Text.Json.Nodes;
using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class CapTests
{
    private static readonly RequestCaps Small = new(100, 2048, TimeSpan.FromMinutes(10));

    [Theory]
    [InlineData("Chat", """{"model":"m","messages":[]}""")]
    [InlineData("Generate", """{"model":"m","prompt":"p"}""")]
    [InlineData("Embed", """{"model":"m","input":"a"}""")]
    [InlineData("Embeddings", """{"model":"m","prompt":"a"}""")]
    public void NoOptions_NumPredictCapAdded(string endpointName, string json)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var body = GuardRun.Body(endpoint, json, Small);

        Assert.Equal("""{"num_predict":100}""", body["options"]!.ToJsonString());
    }

    [Theory]
    [InlineData("Show", """{"model":"m","options":{"num_predict":-1}}""")]
    [InlineData("Create", """{"model":"m","from":"x","parameters":{"num_predict":-1,"num_ctx":1000000}}""")]
    public void NonInferenceEndpoint_OptionsUntouched(string endpointName, string json)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var request = GuardRun.Accept(endpoint, json, Small);

        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), GuardRun.Parse(request).ToJsonString());
    }

    [Fact]
    public void NonInferenceEndpointWithoutOptions_NoneAdded()
    {
        var body = GuardRun.Body(OllamaEndpoint.Show, """{"model":"m"}""", Small);

        Assert.False(body.ContainsKey("options"));
    }

    [Fact]
    public void OptionsWithoutNumPredict_CapAddedOthersKept()
    {
        var body = GuardRun.Body(OllamaEndpoint.Chat, """{"model":"m","options":{"temperature":0.2,"stop":["x"]}}""", Small);

        Assert.Equal("""{"temperature":0.2,"stop":["x"],"num_predict":100}""", body["options"]!.ToJsonString());
    }

    [Theory]
    [InlineData("-1", "100")]
    [InlineData("-2", "100")]
    [InlineData("0", "100")]
    [InlineData("0.9", "100")]
    [InlineData("-0.5", "100")]
    [InlineData("null", "100")]
    [InlineData("101", "100")]
    [InlineData("101.5", "100")]
    [InlineData("100.5", "100.5")]
    [InlineData("1e300", "100")]
    [InlineData("100", "100")]
    [InlineData("1", "1")]
    [InlineData("50", "50")]
    [InlineData("5e1", "5e1")]
    [InlineData("50.7", "50.7")]
    public void NumPredict_ClampedToCap(string given, string forwarded)
    {
        var body = GuardRun.Body(OllamaEndpoint.Generate, $$$"""{"model":"m","prompt":"p","options":{"num_predict":{{{given}}}}}""", Small);

        Assert.Equal(forwarded, body["options"]!["num_predict"]!.ToJsonString());
    }

    [Fact]
    public void NumPredictAtDefaultCap_Is8192()
    {
        var body = GuardRun.Body(OllamaEndpoint.Chat, """{"model":"m","options":{"num_predict":-1}}""");

        Assert.Equal(8192, body["options"]!["num_predict"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("4096", "2048")]
    [InlineData("2048.5", "2048")]
    [InlineData("1e9", "2048")]
    [InlineData("2048", "2048")]
    [InlineData("2048.0", "2048.0")]
    [InlineData("1024", "1024")]
    [InlineData("-1", "-1")]
    [InlineData("0", "0")]
    [InlineData("null", "null")]
    public void NumCtx_ClampedAboveCapOnly(string given, string forwarded)
    {
        var body = GuardRun.Body(OllamaEndpoint.Chat, $$$"""{"model":"m","options":{"num_ctx":{{{given}}}}}""", Small);

        Assert.Equal(forwarded, body["options"]!["num_ctx"]?.ToJsonString() ?? "null");
        Assert.True(body["options"]!.AsObject().ContainsKey("num_ctx"));
    }

    [Fact]
    public void NumCtxAbsent_StaysAbsent()
    {
        var body = GuardRun.Body(OllamaEndpoint.Embed, """{"model":"m","input":"a","options":{"num_predict":5}}""", Small);

        Assert.False(body["options"]!.AsObject().ContainsKey("num_ctx"));
    }

    [Fact]
    public void OptionsNull_ReplacedByCap()
    {
        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"model":"m","prompt":"p","options":null}""", Small);

        Assert.Equal("""{"num_predict":100}""", body["options"]!.ToJsonString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"num_predict=5\"")]
    [InlineData("5")]
    [InlineData("true")]
    public void OptionsNotAnObject_Refused400(string options)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, $$"""{"model":"m","options":{{options}}}""");

        Assert.Equal("Invalid type for 'options': expected an object.", error.Message);
    }

    [Theory]
    [InlineData("num_predict", "\"100\"", "a number")]
    [InlineData("num_predict", "true", "a number")]
    [InlineData("num_predict", "[100]", "a number")]
    [InlineData("num_ctx", "\"4096\"", "a number")]
    [InlineData("num_ctx", "{}", "a number")]
    [InlineData("temperature", "\"hot\"", "a number")]
    [InlineData("seed", "\"42\"", "a number")]
    [InlineData("top_k", "false", "a number")]
    [InlineData("use_mmap", "1", "a boolean")]
    [InlineData("stop", "\"\\n\"", "an array of strings")]
    [InlineData("stop", "[\"a\",1]", "an array of strings")]
    [InlineData("stop", "[[\"a\"]]", "an array of strings")]
    public void WronglyTypedOption_Refused400InsteadOfOllamas500(string option, string value, string expected)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, $$$"""{"model":"m","prompt":"p","options":{"{{{option}}}":{{{value}}}}}""");

        Assert.Equal($"Invalid type for 'options.{option}': expected {expected}.", error.Message);
    }

    [Theory]
    [InlineData("num_predict", "1e400")]
    [InlineData("num_ctx", "-1e400")]
    [InlineData("temperature", "1e400")]
    public void OptionNumberGoCannotHold_Refused400(string option, string value)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, $$$"""{"model":"m","prompt":"p","options":{"{{{option}}}":{{{value}}}}}""");

        Assert.Equal($"Invalid value for 'options.{option}': the number is out of range.", error.Message);
    }

    [Fact]
    public void WellTypedOptionsAndNulls_Accepted()
    {
        var json = """{"model":"m","prompt":"p","options":{"temperature":null,"stop":["a","b"],"use_mmap":false,"seed":42,"unknown_opt":"anything"}}""";

        var body = GuardRun.Body(OllamaEndpoint.Generate, json, Small);

        Assert.Equal("""{"temperature":null,"stop":["a","b"],"use_mmap":false,"seed":42,"unknown_opt":"anything","num_predict":100}""", body["options"]!.ToJsonString());
    }
}
