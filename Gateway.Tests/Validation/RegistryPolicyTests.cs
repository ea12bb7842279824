using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class RegistryPolicyTests
{
    private static readonly RegistryPolicy Insecure = new(["registry.ollama.ai"], AllowInsecure: true);
    private static readonly RegistryPolicy Private = new(["registry.ollama.ai", "models.internal:5000"], AllowInsecure: false);

    [Theory]
    [InlineData("llama3.2")]
    [InlineData("llama3.2:1b")]
    [InlineData("library/llama3.2")]
    [InlineData("alice/mine:v1")]
    [InlineData("registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("REGISTRY.Ollama.AI/library/llama3.2")]
    [InlineData("https://registry.ollama.ai/library/llama3.2")]
    [InlineData("HTTPS://registry.ollama.ai/library/llama3.2")]
    public void PullFromDefaultRegistry_Accepted(string name)
    {
        foreach (var endpoint in new[] { OllamaEndpoint.Pull, OllamaEndpoint.Push })
        {
            var request = GuardRun.Accept(endpoint, $$"""{"model":"{{name}}","stream":false}""");

            Assert.Equal(name, request.Model);
            Assert.False(GuardRun.Parse(request)["stream"]!.GetValue<bool>());
        }
    }

    [Theory]
    [InlineData("evil.com/ns/m", "evil.com")]
    [InlineData("hf.co/org/repo:Q4", "hf.co")]
    [InlineData("https://evil.com/ns/m", "evil.com")]
    [InlineData("registry.ollama.ai:443/library/m", "registry.ollama.ai:443")]
    [InlineData("169.254.169.254/ns/m", "169.254.169.254")]
    public void PullFromOtherRegistry_Refused403NamingHost(string name, string host)
    {
        foreach (var endpoint in new[] { OllamaEndpoint.Pull, OllamaEndpoint.Push })
        {
            var error = GuardRun.Refuse(endpoint, $$"""{"model":"{{name}}"}""", 403);

            Assert.Contains($"'{host}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PullViaNameAliasFromOtherRegistry_Refused403()
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Pull, """{"name":"evil.com/ns/m"}""", 403);

        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PullFromAllowedPrivateRegistry_Accepted()
    {
        var request = GuardRun.Accept(OllamaEndpoint.Pull, """{"model":"Models.Internal:5000/team/m:v2"}""", registries: Private);

        Assert.Equal("Models.Internal:5000/team/m:v2", request.Model);
    }

    [Fact]
    public void PullFromPrivateRegistryWithoutItsPort_Refused403()
    {
        GuardRun.Refuse(OllamaEndpoint.Pull, """{"model":"models.internal/team/m"}""", 403, registries: Private);
    }

    [Fact]
    public void DefaultRegistryNotListed_Refused403()
    {
        var onlyPrivate = new RegistryPolicy(["models.internal:5000"], false);

        GuardRun.Refuse(OllamaEndpoint.Pull, """{"model":"llama3.2"}""", 403, registries: onlyPrivate);
    }

    [Theory]
    [InlineData("""{"model":"m","insecure":true}""")]
    [InlineData("""{"model":"http://registry.ollama.ai/library/m"}""")]
    [InlineData("""{"model":"HTTP://registry.ollama.ai/library/m","insecure":true}""")]
    public void Insecure_Refused403ByDefault(string json)
    {
        foreach (var endpoint in new[] { OllamaEndpoint.Pull, OllamaEndpoint.Push })
        {
            var error = GuardRun.Refuse(endpoint, json, 403);

            Assert.Contains("insecure", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"model":"m","insecure":true}""")]
    [InlineData("""{"model":"http://registry.ollama.ai/library/m","insecure":true}""")]
    public void Insecure_AcceptedWhenPolicyAllows(string json)
    {
        var body = GuardRun.Body(OllamaEndpoint.Pull, json, registries: Insecure);

        Assert.True(body["insecure"]!.GetValue<bool>());
    }

    [Fact]
    public void InsecureToOtherHost_Refused403EvenWhenInsecureAllowed()
    {
        // The Probllama exploit shape: http://attacker/rogue/x with insecure:true.
        GuardRun.Refuse(OllamaEndpoint.Pull, """{"model":"http://attacker.example/rogue/x","insecure":true}""", 403, registries: Insecure);
    }

    [Theory]
    [InlineData("""{"model":"m","insecure":false}""")]
    [InlineData("""{"model":"m","insecure":null}""")]
    public void InsecureFalseOrNull_Accepted(string json)
    {
        GuardRun.Accept(OllamaEndpoint.Push, json);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("1")]
    [InlineData("{}")]
    public void InsecureNotBoolean_Refused400(string value)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Pull, $$"""{"model":"m","insecure":{{value}}}""");

        Assert.Contains("'insecure'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://registry.ollama.ai/library/m", 403)]
    [InlineData("file://registry.ollama.ai/library/m", 403)]
    [InlineData("https://m", 400)]
    [InlineData("https://library/m", 400)]
    [InlineData("http://evil.com/m", 400)]
    [InlineData("a/b/c/d", 400)]
    [InlineData("evil.com/a/b/m", 400)]
    [InlineData("/ns/m", 400)]
    [InlineData("registry.ollama.a\u0131/library/m", 400)]
    public void AmbiguousOrForeignName_Refused(string name, int status)
    {
        GuardRun.Refuse(OllamaEndpoint.Pull, $$"""{"model":"{{name}}"}""", status);
    }

    [Theory]
    [InlineData("evil.com/ns/m", 403)]
    [InlineData("https://evil.com/ns/m", 403)]
    [InlineData("http://registry.ollama.ai/library/m", 403)]
    [InlineData("a/b/c/d", 400)]
    [InlineData("evil.com\\ns\\m", 400)]
    public void CreateFromOtherRegistry_Refused(string from, int status)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Create, $$"""{"model":"mine","from":"{{from.Replace("\\", "\\\\", StringComparison.Ordinal)}}"}""", status);

        Assert.Contains("'from'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"mine","from":"registry.ollama.ai/library/llama3.2"}""")]
    [InlineData("""{"model":"mine","from":""}""")]
    [InlineData("""{"model":"mine","from":null,"files":{"m.gguf":"sha256:00"}}""")]
    public void CreateFromDefaultRegistryOrNone_Accepted(string json)
    {
        var request = GuardRun.Accept(OllamaEndpoint.Create, json);

        Assert.Equal("mine", request.Model);
    }

    [Fact]
    public void CreateFromNotAString_Refused400()
    {
        GuardRun.Refuse(OllamaEndpoint.Create, """{"model":"mine","from":["llama3.2"]}""");
    }

    [Fact]
    public void InferenceModelWithRegistryHost_IsPolicysDecisionNotTheGuards()
    {
        // Inference never pulls, so the host is only a name here; the key's model allowlist judges it.
        var request = GuardRun.Accept(OllamaEndpoint.Chat, """{"model":"evil.com/ns/m","messages":[]}""");

        Assert.Equal("evil.com/ns/m", request.Model);
    }
}
