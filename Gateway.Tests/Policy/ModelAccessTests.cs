using OllamaGateway.Policy;

namespace OllamaGateway.Tests.Policy;

public sealed class ModelAccessTests
{
    private static bool Allows(string pattern, string model) => ModelAccess.FromPatterns([pattern]).Allows(model);

    [Theory]
    [InlineData("llama3.2", "llama3.2")]
    [InlineData("llama3.2", "llama3.2:latest")]
    [InlineData("llama3.2", "LLAMA3.2")]
    [InlineData("llama3.2", "library/llama3.2")]
    [InlineData("llama3.2", "registry.ollama.ai/library/llama3.2:latest")]
    [InlineData("llama3.2:latest", "llama3.2")]
    [InlineData("llama3.2*", "llama3.2")]
    [InlineData("llama3.2*", "llama3.2:3b")]
    [InlineData("llama3.2*", "llama3.2-vision:11b")]
    [InlineData("qwen3:*", "qwen3")]
    [InlineData("qwen3:*", "qwen3:8b")]
    [InlineData("qwen3:?b", "qwen3:8b")]
    [InlineData("qwen2.5:7b*", "qwen2.5:7b")]
    [InlineData("qwen2.5:7b**", "qwen2.5:7b")]
    [InlineData("qwen2.5:7b*", "qwen2.5:7b-instruct-q4_K_M")]
    [InlineData("alice/*", "alice/tuned:v1")]
    [InlineData("*", "anything:tag")]
    public void MatchingNames_AreAllowed(string pattern, string model)
    {
        Assert.True(Allows(pattern, model));
    }

    [Theory]
    [InlineData("llama3.2", "llama3.2:3b")]
    [InlineData("llama3.2", "llama3.21")]
    [InlineData("llama3.2", "bob/llama3.2")]
    [InlineData("llama3.2", "evil.example.com/library/llama3.2")]
    [InlineData("llama3.2*", "bob/llama3.2")]
    [InlineData("llama3.2*", "llama3.2/../qwen3")]
    [InlineData("qwen3:*", "qwen3.5:8b")]
    [InlineData("qwen3:?b", "qwen3:14b")]
    [InlineData("alice/*", "bob/tuned:v1")]
    [InlineData("*", "alice/tuned:v1")]
    [InlineData("llama3.2", "")]
    [InlineData("llama3.2", "llama3.2:")]
    [InlineData("llama3.2", "/llama3.2")]
    public void OtherNames_AreRefused(string pattern, string model)
    {
        Assert.False(Allows(pattern, model));
    }

    [Fact]
    public void NoPatterns_AllowNothing_AndAllAllowsEverything()
    {
        Assert.False(ModelAccess.FromPatterns([]).Allows("llama3.2"));
        Assert.True(ModelAccess.All.Allows("anything/at:all"));
        Assert.True(ModelAccess.All.AllowsAll);
    }

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("qwen3:*", true)]
    [InlineData("host.example:5000/ns/model:tag", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("/x", false)]
    [InlineData("x/", false)]
    [InlineData("a//b", false)]
    [InlineData("ünï", false)]
    public void PatternSyntax_IsChecked(string pattern, bool valid)
    {
        Assert.Equal(valid, ModelAccess.IsValidPattern(pattern));
    }
}
