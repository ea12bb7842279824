using OllamaGateway.Policy;

namespace OllamaGateway.Tests.Policy;

/// <summary>
/// Model patterns that name a registry host (<c>host/ns/model</c>, <c>*/ns/model</c>) and names that differ from an
/// allowed one only in the host: a key's rights reach exactly the registries its patterns name.
/// </summary>
public sealed class ModelPatternHostTests
{
    private static bool Allows(string pattern, string model) => ModelAccess.FromPatterns([pattern]).Allows(model);

    [Theory]
    [InlineData("hf.co/org/repo", "hf.co/org/repo")]
    [InlineData("hf.co/org/repo", "HF.CO/Org/Repo:latest")]
    [InlineData("hf.co/org/repo", "https://hf.co/org/repo")]
    [InlineData("HF.co/Org/repo:Q4", "hf.co/org/repo:q4")]
    [InlineData("hf.co/org/*", "hf.co/org/other:q4")]
    [InlineData("models.internal:5000/team/m", "models.internal:5000/team/m:latest")]
    [InlineData("registry.ollama.ai/library/llama3.2", "llama3.2")]
    [InlineData("*/ns/model", "a.example/ns/model")]
    [InlineData("*/ns/model", "registry.ollama.ai/ns/model:latest")]
    [InlineData("*/ns/model", "ns/model")]
    [InlineData("*/library/llama3.2", "llama3.2")]
    [InlineData("*/*/*", "hf.co/org/repo:q4")]
    [InlineData("*/*/*", "llama3.2")]
    [InlineData("a?.example/ns/m", "ab.example/ns/m")]
    public void PatternNamingAHost_AllowsThatHostsModel(string pattern, string model)
    {
        Assert.True(Allows(pattern, model));
    }

    [Theory]
    [InlineData("hf.co/org/repo", "hf.co/org/repo:q4")]
    [InlineData("hf.co/org/repo", "hf.co/other/repo")]
    [InlineData("hf.co/org/repo", "evil.co/org/repo")]
    [InlineData("hf.co/org/repo", "xhf.co/org/repo")]
    [InlineData("hf.co/org/repo", "org/repo")]
    [InlineData("hf.co/org/repo", "repo")]
    [InlineData("hf.co/org/*", "hf.co/org2/x")]
    [InlineData("hf.co/org/*", "evil.co/org/x")]
    [InlineData("models.internal:5000/team/m", "models.internal:5001/team/m")]
    [InlineData("models.internal:5000/team/m", "models.internal/team/m")]
    [InlineData("*/ns/model", "a.example/other/model")]
    [InlineData("*/ns/model", "a.example/ns/model2")]
    [InlineData("*/ns/model", "a/b/ns/model")]
    [InlineData("*/ns/model", "model")]
    [InlineData("a?.example/ns/m", "a/.example/ns/m")]
    public void PatternNamingAHost_RefusesOtherHostsNamespacesAndModels(string pattern, string model)
    {
        Assert.False(Allows(pattern, model));
    }

    [Theory]
    [InlineData("xregistry.ollama.ai/library/llama3.2")]
    [InlineData("registry.ollama.aix/library/llama3.2")]
    [InlineData("registry.ollama.ai.evil/library/llama3.2")]
    [InlineData("x/registry.ollama.ai/library/llama3.2")]
    [InlineData("registry.ollama.ai/xlibrary/llama3.2")]
    [InlineData("ollama.ai/library/llama3.2")]
    public void ModelNameWithoutAHost_AllowsOnlyTheDefaultRegistry(string model)
    {
        Assert.False(Allows("llama3.2", model));
        Assert.False(Allows("llama3.2*", model));
        Assert.False(Allows("*", model));
    }

    [Theory]
    [InlineData("alice/*", "alice/tuned")]
    [InlineData("alice/*", "registry.ollama.ai/alice/tuned:v1")]
    [InlineData("*/tuned", "bob/tuned")]
    public void PatternNamingANamespace_MeansTheDefaultRegistry(string pattern, string model)
    {
        Assert.True(Allows(pattern, model));
        Assert.False(Allows(pattern, "hf.co/" + model.Split('/')[^2] + "/" + model.Split('/')[^1]));
    }

    [Fact]
    public void SeveralPatterns_AllowWhatAnyOfThemAllows()
    {
        var access = ModelAccess.FromPatterns(["qwen3:*", "hf.co/org/*"]);

        Assert.True(access.Allows("qwen3:8b"));
        Assert.True(access.Allows("hf.co/org/repo:q4"));
        Assert.False(access.Allows("llama3.2"));
        Assert.False(access.AllowsAll);
        Assert.Equal(["qwen3:*", "hf.co/org/*"], access.Patterns);
    }

    [Theory]
    [InlineData("llama3.2*", "llama3.2:")]
    [InlineData("*", "hf.co/org/")]
    [InlineData("*/*/*", "hf.co//repo")]
    public void IncompleteName_IsNeverAllowed(string pattern, string model)
    {
        Assert.False(Allows(pattern, model));
        Assert.False(ModelAccess.All.Allows(model));
    }

    [Theory]
    [InlineData("m:q?", "m:q4", true)]
    [InlineData("m:q?", "m:q", false)]
    [InlineData("m:q?", "m:q45", false)]
    [InlineData("m*x", "mabcx", true)]
    [InlineData("m*x", "mabcxy", false)]
    [InlineData("m*x*", "mxay", true)]
    [InlineData("*:*", "m:tag", true)]
    [InlineData("m**", "m:tag", true)]
    public void Wildcards_MatchAsGlobs(string pattern, string model, bool allowed)
    {
        Assert.Equal(allowed, Allows(pattern, model));
    }

    [Fact]
    public void PatternOfAValidShape_IsLimitedTo256Characters()
    {
        Assert.True(ModelAccess.IsValidPattern(new string('a', 256)));
        Assert.False(ModelAccess.IsValidPattern(new string('a', 257)));
    }
}
