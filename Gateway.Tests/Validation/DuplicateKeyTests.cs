using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class DuplicateKeyTests
{
    [Theory]
    [InlineData("""{"model":"ok","model":"forbidden","prompt":"p"}""", "'model'")]
    [InlineData("""{"model":"ok","MODEL":"forbidden","prompt":"p"}""", "'MODEL'")]
    [InlineData("""{"model":"ok","mod\u0065l":"forbidden","prompt":"p"}""", "'model'")]
    [InlineData("""{"model":"ok","prompt":"p","stream":true,"stream":false}""", "'stream'")]
    [InlineData("""{"model":"ok","prompt":"p","x":1,"X":2}""", "'X'")]
    public void DuplicateTopLevelKey_Refused400NamingIt(string json, string named)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, json);

        Assert.Contains("Duplicate key " + named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","options":{"temperature":0.1,"temperature":2}}""", "'options.temperature'")]
    [InlineData("""{"model":"m","options":{"num_predict":10,"num_predict":-1}}""", "'options.num_predict'")]
    [InlineData("""{"model":"m","options":{"num_predict":10,"NUM_PREDICT":-1}}""", "'options.NUM_PREDICT'")]
    public void DuplicateOptionKey_Refused400NamingIt(string json, string named)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, json);

        Assert.Contains("Duplicate key " + named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a","content":"b"}]}""", "'messages[0].content'")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","images":[],"Images":["eA=="]}]}""", "'messages[1].Images'")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a","tool_calls":[{"function":{"arguments":{"x":1,"x":2}}}]}]}""", "'messages[0].tool_calls[0].function.arguments.x'")]
    public void DuplicateMessageKey_Refused400NamingIt(string json, string named)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, json);

        Assert.Contains("Duplicate key " + named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateInsideFreeFormSchema_Refused400()
    {
        var error = GuardRun.Refuse(
            OllamaEndpoint.Chat, """{"model":"m","messages":[],"format":{"type":"object","type":"string"}}""");

        Assert.Contains("'format.type'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Generate", """{"MODEL":"m","prompt":"p"}""", "MODEL", "model")]
    [InlineData("Generate", """{"Model":"forbidden","model":"ok","prompt":"p"}""", "Model", "model")]
    [InlineData("Generate", """{"model":"m","Prompt":"p"}""", "Prompt", "prompt")]
    [InlineData("Chat", """{"model":"m","Options":{"num_predict":-1}}""", "Options", "options")]
    [InlineData("Chat", """{"model":"m","KEEP_ALIVE":-1}""", "KEEP_ALIVE", "keep_alive")]
    [InlineData("Show", """{"Name":"m"}""", "Name", "name")]
    [InlineData("Pull", """{"model":"m","Insecure":true}""", "Insecure", "insecure")]
    [InlineData("Copy", """{"Source":"a","destination":"b"}""", "Source", "source")]
    [InlineData("Create", """{"model":"m","FROM":"evil.com/ns/x"}""", "FROM", "from")]
    public void CaseVariantOfKnownField_Refused400(string endpointName, string json, string key, string field)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var error = GuardRun.Refuse(endpoint, json);

        Assert.Contains($"'{key}' differs from '{field}'", error.Message, StringComparison.Ordinal);
    }

    // Go's encoding/json folds U+212A KELVIN SIGN with 'k' and U+017F LONG S with 's'; .NET OrdinalIgnoreCase
    // folds neither, so these are the keys a naive check would miss.
    [Theory]
    [InlineData("Chat", "{\"model\":\"m\",\"\u212Aeep_alive\":-1}", "keep_alive")]
    [InlineData("Chat", "{\"model\":\"m\",\"option\u017F\":{}}", "options")]
    [InlineData("Chat", """{"model":"m","\u212Aeep_alive":-1}""", "keep_alive")]
    [InlineData("Pull", "{\"model\":\"m\",\"in\u017Fecure\":true}", "insecure")]
    public void NonAsciiCaseVariantThatGoFolds_Refused400(string endpointName, string json, string field)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var error = GuardRun.Refuse(endpoint, json);

        Assert.Contains($"differs from '{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseVariantInsideMessage_Refused400()
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, """{"model":"m","messages":[{"ROLE":"user","content":"hi"}]}""");

        Assert.Contains("'messages[0].ROLE' differs from 'role'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseVariantOfOption_Refused400()
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, """{"model":"m","prompt":"p","options":{"Num_Ctx":999999}}""");

        Assert.Contains("'options.Num_Ctx' differs from 'num_ctx'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpperCaseUnknownKey_PassesThrough()
    {
        // Not a case variant of any Ollama field, so Ollama ignores it and it cannot change a decision.
        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"model":"m","prompt":"p","ClientTag":"x"}""");

        Assert.Equal("x", body["ClientTag"]!.GetValue<string>());
    }

    [Fact]
    public void SameKeyInDifferentObjects_Accepted()
    {
        var body = GuardRun.Body(
            OllamaEndpoint.Chat,
            """{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"format":{"properties":{"role":{"type":"string"}}}}""");

        Assert.Equal("b", body["messages"]![1]!["content"]!.GetValue<string>());
    }
}
