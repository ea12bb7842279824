using System.Text;
using System.Text.Json;
using OllamaGateway.Policy;

namespace OllamaGateway.Tests.Policy;

/// <summary>
/// Ollama sends a model whose tag is <c>cloud</c> or ends in <c>-cloud</c> to ollama.com, on the account of whoever
/// runs Ollama (its paid usage). Such a model is open only to a key whose list names it.
/// </summary>
public sealed class CloudModelAccessTests
{
    private static bool Allows(string pattern, string model) => ModelAccess.FromPatterns([pattern]).Allows(model);

    [Theory]
    [InlineData("gpt-oss:120b-cloud")]
    [InlineData("gpt-oss:120b:cloud")]
    [InlineData("gpt-oss:cloud")]
    [InlineData("GPT-OSS:120B-CLOUD")]
    [InlineData("gpt-oss:120b-Cloud")]
    [InlineData(" gpt-oss:120b-cloud ")]
    [InlineData("gpt-oss: cloud")]
    [InlineData("library/gpt-oss:120b-cloud")]
    [InlineData("registry.ollama.ai/library/qwen3-coder:480b-cloud")]
    [InlineData("alice/custom:v1-cloud")]
    public void DefaultRights_RefuseCloudModels(string model)
    {
        Assert.False(ModelAccess.All.Allows(model));
    }

    [Theory]
    [InlineData("gpt-oss:120b")]
    [InlineData("cloud")]
    [InlineData("cloud:latest")]
    [InlineData("my-cloud")]
    [InlineData("cloudy:7b")]
    [InlineData("gpt-oss:120b-cloudy")]
    [InlineData("host.example:5000/ns/model-cloud")]
    public void DefaultRights_KeepLocalModelsWhoseNamesMentionCloud(string model)
    {
        Assert.True(ModelAccess.All.Allows(model));
    }

    [Theory]
    [InlineData("*", "gpt-oss:120b-cloud")]
    [InlineData("*", "gpt-oss:cloud")]
    [InlineData("*:*", "gpt-oss:120b-cloud")]
    [InlineData("gpt-oss*", "gpt-oss:120b-cloud")]
    [InlineData("gpt-oss*", "gpt-oss:120b:cloud")]
    [InlineData("gpt-oss:*", "gpt-oss:120b-cloud")]
    [InlineData("gpt-oss:120b*", "gpt-oss:120b-cloud")]
    [InlineData("*cloud", "gpt-oss:120b-cloud")]
    [InlineData("alice/*", "alice/custom:v1-cloud")]
    [InlineData("gpt-oss:120b", "gpt-oss:120b:cloud")]
    public void GlobsThatDoNotNameCloudModels_NeverMatchOne(string pattern, string model)
    {
        Assert.False(Allows(pattern, model));
    }

    [Theory]
    [InlineData("gpt-oss:120b-cloud", "gpt-oss:120b-cloud")]
    [InlineData("gpt-oss:120b-cloud", "GPT-OSS:120B-CLOUD")]
    [InlineData("gpt-oss:120b-cloud", "gpt-oss:120b:cloud")]
    [InlineData("gpt-oss:120b:cloud", "gpt-oss:120b-cloud")]
    [InlineData("gpt-oss:120b-cloud", "registry.ollama.ai/library/gpt-oss:120b-cloud")]
    [InlineData("*-cloud", "gpt-oss:120b-cloud")]
    [InlineData("*-cloud", "qwen3-coder:480b-cloud")]
    [InlineData("*-cloud", "gpt-oss:20b:cloud")]
    [InlineData("gpt-oss:*-cloud", "gpt-oss:20b-cloud")]
    [InlineData("*:cloud", "gpt-oss:cloud")]
    [InlineData("alice/*-cloud", "alice/custom:v1-cloud")]
    public void PatternsThatNameCloudModels_AllowThem(string pattern, string model)
    {
        Assert.True(Allows(pattern, model));
    }

    [Theory]
    [InlineData("gpt-oss:120b-cloud", "gpt-oss:20b-cloud")]
    [InlineData("gpt-oss:120b-cloud", "gpt-oss:120b")]
    [InlineData("*-cloud", "gpt-oss:cloud")]
    [InlineData("*-cloud", "alice/custom:v1-cloud")]
    [InlineData("*:cloud", "gpt-oss:120b-cloud")]
    [InlineData("gpt-oss:*-cloud", "qwen3:8b-cloud")]
    public void PatternsThatNameCloudModels_AllowOnlyThoseModels(string pattern, string model)
    {
        Assert.False(Allows(pattern, model));
    }

    [Theory]
    [InlineData("gpt-oss:120b-cloud", true)]
    [InlineData("gpt-oss:120b:cloud", true)]
    [InlineData("*-cloud", true)]
    [InlineData("*:cloud", true)]
    [InlineData(":cloud", true)] // Ollama's parseSourceSuffix cuts at a colon in first place too
    [InlineData("cloud", false)]
    [InlineData("*", false)]
    [InlineData("gpt-oss*", false)]
    public void NamesCloudModels_AsKeysCreateKeepsThemBesideEveryLocalModel(string pattern, bool names)
    {
        Assert.Equal(names, ModelAccess.NamesCloudModels(pattern));
    }

    [Fact]
    public void LocalAndCloudPatterns_Combine()
    {
        var access = ModelAccess.FromPatterns(["llama3.2*", "gpt-oss:120b-cloud"]);

        Assert.True(access.Allows("llama3.2"));
        Assert.True(access.Allows("gpt-oss:120b-cloud"));
        Assert.False(access.Allows("gpt-oss:120b"));
        Assert.False(access.Allows("deepseek-v3.1:671b-cloud"));
    }

    [Fact]
    public void ModelList_ForDefaultRights_LeavesCloudModelsOut()
    {
        var tags = """
            {"models":[
              {"name":"llama3.2:latest","model":"llama3.2:latest","size":1},
              {"name":"gpt-oss:120b-cloud","model":"gpt-oss:120b-cloud","size":384},
              {"name":"qwen3:8b","model":"qwen3:8b","size":2}
            ]}
            """;

        var filtered = ModelListFilter.Filter(Encoding.UTF8.GetBytes(tags), ModelAccess.All);

        var names = JsonDocument.Parse(filtered).RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString());
        Assert.Equal(["llama3.2:latest", "qwen3:8b"], names);
    }
}
