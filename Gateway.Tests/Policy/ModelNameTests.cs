using OllamaGateway.Policy;


namespace OllamaGateway.Tests.Policy;

public sealed class ModelNameTests
{
    [Theory]
    [InlineData("llama3.2", "registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("llama3.2:latest", "registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("Llama3.2:LATEST", "registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("llama3.2:3b", "registry.ollama.ai/library/llama3.2:3b")]
    [InlineData("library/llama3.2", "registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("alice/mymodel:v1", "registry.ollama.ai/alice/mymodel:v1")]
    [InlineData("hf.co/Org/Repo:Q4_K_M", "hf.co/org/repo:q4_k_m")]
    [InlineData("hf.co/Org/Repo", "hf.co/org/repo:latest")]
    [InlineData("host:5000/ns/model:tag", "host:5000/ns/model:tag")]
    [InlineData("host:5000/ns/model", "host:5000/ns/model:latest")]
    [InlineData("https://host:5000/ns/model:v2", "host:5000/ns/model:v2")]
    [InlineData("http://Host/ns/model", "host/ns/model:latest")]
    [InlineData("://host/ns/model", "host/ns/model:latest")] // Go's strings.Cut finds "://" at the start too
    [InlineData("a/b/c/d:e", "a/b/c/d:e")]
    [InlineData("x:y:z", "registry.ollama.ai/library/x:y:z")]
    public void Canonical_FillsDefaultsAndLowercases(string name, string expected)
    {
        Assert.Equal(expected, ModelName.Canonical(name));
    }

    [Fact]
    public void Canonical_FoldsOnlyAsciiLetters()
    {
        // Ollama folds A-Z only (and refuses non-ASCII names), so 'É' stays as written.
        Assert.Equal("registry.ollama.ai/library/Émodel:latest", ModelName.Canonical("ÉMODEL"));
    }

    [Theory]
    [InlineData("llama3.2", "llama3.2:latest")]
    [InlineData("llama3.2", "LLAMA3.2:Latest")]
    [InlineData("llama3.2", "library/llama3.2")]
    [InlineData("llama3.2", "registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("Alice/MyModel:V1", "alice/mymodel:v1")]
    [InlineData("hf.co/org/repo:Q4_K_M", "HF.CO/org/repo:q4_k_m")]
    [InlineData("host:5000/ns/model", "host:5000/ns/model:latest")]
    [InlineData("https://host:5000/ns/model", "host:5000/ns/model")]
    public void SameModel_MatchesAsOllamaDoes(string a, string b)
    {
        Assert.True(ModelName.SameModel(a, b));
        Assert.True(ModelName.SameModel(b, a));
        Assert.Equal(ModelName.Canonical(a), ModelName.Canonical(b));
    }

    [Theory]
    [InlineData("llama3.2", "llama3.2:3b")]
    [InlineData("llama3.2", "llama3.1")]
    [InlineData("llama3.2", "alice/llama3.2")]
    [InlineData("llama3.2", "other.host/library/llama3.2")]
    [InlineData("host:5000/ns/model", "host:5001/ns/model")]
    [InlineData("host:5000/ns/model", "host/ns/model:5000")]
    [InlineData("ns/model", "model")]
    [InlineData("llama3.2", "llama3.2 ")]
    public void SameModel_KeepsDifferentModelsApart(string a, string b)
    {
        Assert.False(ModelName.SameModel(a, b));
        Assert.False(ModelName.SameModel(b, a));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x:")]
    [InlineData(":latest")]
    [InlineData("/x")]
    [InlineData("ns/")]
    [InlineData("//x")]
    [InlineData("/library/x")] // only the host is missing
    public void SameModel_WithIncompleteName_MatchesNothingNotEvenItself(string name)
    {
        Assert.False(ModelName.SameModel(name, name));
        Assert.False(ModelName.SameModel(name, "x"));
    }

    [Fact]
    public void SameModel_IncompleteTagIsNotTheDefaultTag()
    {
        // Ollama marks "x:" as missing its tag (an invalid name); it must not pass for x:latest.
        Assert.False(ModelName.SameModel("x:", "x:latest"));
        Assert.NotEqual(ModelName.Canonical("x:latest"), ModelName.Canonical("x:"));
    }

    [Theory]
    [InlineData("llama3.2:latest", "library")]
    [InlineData("llama3.2", "library")]
    [InlineData("alice/mymodel:v1", "alice")]
    [InlineData("Alice/mymodel", "Alice")]
    [InlineData("hf.co/org/repo:Q4_K_M", "org")]
    [InlineData("host:5000/ns/model:tag", "ns")]
    [InlineData("host:5000/ns/model", "ns")]
    [InlineData("a/b/c/d", "c")]
    public void Namespace_IsTheNamespacePartWithDefault(string name, string expected)
    {
        Assert.Equal(expected, ModelName.Namespace(name));
    }

    [Fact]
    public void NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ModelName.Canonical(null!));
        Assert.Throws<ArgumentNullException>(() => ModelName.SameModel("x", null!));
        Assert.Throws<ArgumentNullException>(() => ModelName.SameModel(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => ModelName.Namespace(null!));
    }
}
