using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class ModelNameTests
{
    [Theory]
    [InlineData("Chat", """{"model":"llama3.2:1b","messages":[]}""")]
    [InlineData("Generate", """{"prompt":"p","model":"llama3.2:1b"}""")]
    [InlineData("Embed", """{"model":"llama3.2:1b","input":["a"]}""")]
    [InlineData("Embeddings", """{"model":"llama3.2:1b","prompt":"a"}""")]
    [InlineData("Show", """{"model":"llama3.2:1b"}""")]
    [InlineData("Delete", """{"model":"llama3.2:1b"}""")]
    [InlineData("Pull", """{"model":"llama3.2:1b"}""")]
    [InlineData("Push", """{"model":"llama3.2:1b"}""")]
    [InlineData("Create", """{"model":"llama3.2:1b","files":{}}""")]
    public void Model_ReturnedAsWritten(string endpointName, string json)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var request = GuardRun.Accept(endpoint, json);

        Assert.Equal("llama3.2:1b", request.Model);
        Assert.Equal(["llama3.2:1b"], request.Models);
        Assert.Equal("llama3.2:1b", GuardRun.Parse(request)["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Show")]
    [InlineData("Delete")]
    [InlineData("Pull")]
    [InlineData("Push")]
    [InlineData("Create")]
    public void NameAlias_ReturnedAsModelAndForwardedAsName(string endpointName)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var request = GuardRun.Accept(endpoint, """{"name":"Alice/Mine:v1"}""");

        Assert.Equal("Alice/Mine:v1", request.Model);
        Assert.Equal(["Alice/Mine:v1"], request.Models);
        var body = GuardRun.Parse(request);
        Assert.Equal("Alice/Mine:v1", body["name"]!.GetValue<string>());
        Assert.False(body.ContainsKey("model"));
    }

    [Theory]
    [InlineData("Show")]
    [InlineData("Delete")]
    [InlineData("Pull")]
    [InlineData("Create")]
    public void ModelAndName_Refused400(string endpointName)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var error = GuardRun.Refuse(endpoint, """{"model":"allowed","name":"forbidden"}""");

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameOnChat_IsNotTheModel_SoModelStillRequired()
    {
        // /api/chat has no 'name' field: Ollama ignores it, so it must not satisfy policy either.
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, """{"name":"m","messages":[]}""");

        Assert.Contains("'model'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameOnChatBesideModel_PassesThroughAndModelWins()
    {
        var request = GuardRun.Accept(OllamaEndpoint.Chat, """{"model":"m","name":"other","messages":[]}""");

        Assert.Equal("m", request.Model);
        Assert.Equal(["m"], request.Models);
    }

    [Theory]
    [InlineData("""{"prompt":"p"}""", "Missing required field 'model'")]
    [InlineData("""{"model":"","prompt":"p"}""", "Missing required field 'model'")]
    [InlineData("""{"model":null,"prompt":"p"}""", "Invalid type for 'model'")]
    [InlineData("""{"model":5,"prompt":"p"}""", "Invalid type for 'model'")]
    [InlineData("""{"model":["m"],"prompt":"p"}""", "Invalid type for 'model'")]
    [InlineData("""{"model":"evil.com\\ns\\m","prompt":"p"}""", "backslash")]
    public void BadModel_Refused400(string json, string expected)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, json);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_ReturnsSourceAndDestinationAndNoSingleModel()
    {
        var request = GuardRun.Accept(OllamaEndpoint.Copy, """{"source":"llama3.2","destination":"shared/llama3.2:team"}""");

        Assert.Null(request.Model);
        Assert.Equal(["llama3.2", "shared/llama3.2:team"], request.Models);
        var body = GuardRun.Parse(request);
        Assert.Equal("shared/llama3.2:team", body["destination"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"source":"a"}""", "'destination'")]
    [InlineData("""{"destination":"b"}""", "'source'")]
    [InlineData("""{"source":"","destination":"b"}""", "'source'")]
    [InlineData("""{"model":"a","destination":"b"}""", "'source'")]
    public void CopyWithoutBothNames_Refused400(string json, string named)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Copy, json);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateFrom_AddedToModels()
    {
        var request = GuardRun.Accept(OllamaEndpoint.Create, """{"model":"mine","from":"llama3.2","system":"be brief"}""");

        Assert.Equal("mine", request.Model);
        Assert.Equal(["mine", "llama3.2"], request.Models);
    }
}
