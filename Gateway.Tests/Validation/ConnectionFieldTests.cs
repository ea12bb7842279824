using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class ConnectionFieldTests
{
    public static TheoryData<string, string> InferenceFields()
    {
        var data = new TheoryData<string, string>();
        string[] fields = ["remote_host", "remote_model", "host", "url", "base_url", "api_base", "api_url", "endpoint", "proxy"];
        foreach (var endpoint in new[] { "Chat", "Generate", "Embed", "Embeddings" })
        {
            foreach (var field in fields)
            {
                data.Add(endpoint, field);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InferenceFields))]
    public void ConnectionFieldOnInference_Refused400NamingIt(string endpointName, string field)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var error = GuardRun.Refuse(endpoint, $$"""{"model":"m","{{field}}":"http://169.254.169.254/latest"}""");

        Assert.Contains($"'{field}' is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REMOTE_HOST")]
    [InlineData("Base_Url")]
    [InlineData("remote_ho\u017Ft")]
    public void CaseVariantOfConnectionField_Refused400(string field)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, $$"""{"model":"m","{{field}}":"http://x"}""");

        Assert.Contains("is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("{}")]
    public void ConnectionFieldWithAnyValue_Refused400(string value)
    {
        GuardRun.Refuse(OllamaEndpoint.Generate, $$"""{"model":"m","prompt":"p","remote_host":{{value}}}""");
    }

    [Theory]
    [InlineData("Create", """{"model":"m","from":"llama3.2","remote_host":"http://169.254.169.254/"}""")]
    [InlineData("Create", """{"model":"m","from":"llama3.2","remote_host":"/foo"}""")]
    [InlineData("Pull", """{"model":"m","url":"http://evil"}""")]
    [InlineData("Show", """{"model":"m","host":"evil"}""")]
    public void ConnectionFieldOnOtherEndpoints_Refused400(string endpointName, string json)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var error = GuardRun.Refuse(endpoint, json);

        Assert.Contains("is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path", "\"/dev/random\"")]
    [InlineData("modelfile", "\"FROM evil.com/ns/x\"")]
    [InlineData("Path", "\"/etc/passwd\"")]
    [InlineData("ModelFile", "\"FROM evil.com/ns/x\"")]
    public void DeprecatedCreateFileFields_Refused400(string field, string value)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Create, $$"""{"model":"m","{{field}}":{{value}}}""");

        Assert.Contains($"'{field}' is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UrlInsideNestedObject_PassesThrough()
    {
        // Only top-level keys choose connections in Ollama; a schema property named "url" is ordinary data.
        var body = GuardRun.Body(
            OllamaEndpoint.Chat,
            """{"model":"m","messages":[{"role":"user","content":"http://x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"url":{"type":"string"}}}}}]}""");

        Assert.Equal("string", body["tools"]![0]!["function"]!["parameters"]!["properties"]!["url"]!["type"]!.GetValue<string>());
    }
}
