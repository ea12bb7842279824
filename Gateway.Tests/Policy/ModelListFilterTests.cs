using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OllamaGateway.Policy;

namespace OllamaGateway.Tests.Policy;

/// <summary>
/// What a restricted key sees of Ollama's <c>/api/tags</c> and <c>/api/ps</c>: only entries whose every name is
/// allowed; entries without a name, or with a name that is not a string, are dropped; everything else as Ollama sent it.
/// </summary>
public sealed class ModelListFilterTests
{
    private static readonly ModelAccess LlamaOnly = ModelAccess.FromPatterns(["llama3.2*"]);

    [Fact]
    public void EntryWithBothNames_IsKeptOnlyWhenBothAreAllowed()
    {
        var models = Filter("""
            {"models": [
              {"name": "llama3.2:latest", "model": "llama3.2:latest", "size": 1},
              {"name": "llama3.2:latest", "model": "qwen3:8b", "size": 2},
              {"name": "qwen3:8b", "model": "llama3.2:latest", "size": 3}
            ]}
            """, LlamaOnly);

        Assert.Equal([1], models.Select(m => m!["size"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{"name": "llama3.2:latest"}""")]
    [InlineData("""{"model": "llama3.2:latest"}""")]
    public void EntryWithOneAllowedName_IsKept(string entry)
    {
        var models = Filter($$"""{"models": [{{entry}}]}""", LlamaOnly);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(entry), Assert.Single(models)));
    }

    [Theory]
    [InlineData("""{"size": 1}""")]
    [InlineData("""{}""")]
    [InlineData("""{"name": 5}""")]
    [InlineData("""{"name": null, "model": "llama3.2"}""")]
    [InlineData("""{"name": "llama3.2", "model": ["llama3.2"]}""")]
    [InlineData("\"llama3.2\"")]
    [InlineData("null")]
    [InlineData("[\"llama3.2\"]")]
    public void EntryWithoutAUsableName_IsDropped_EvenForEveryModel(string entry)
    {
        Assert.Empty(Filter($$"""{"models": [{{entry}}]}""", ModelAccess.All));
        Assert.Empty(Filter($$"""{"models": [{{entry}}]}""", LlamaOnly));
    }

    [Fact]
    public void OtherFields_AndOtherArrays_AreKeptAsOllamaSentThem()
    {
        const string Json = """{"head": {"x": [1, "qwen3"]}, "models": [{"name": "qwen3:8b"}, {"name": "llama3.2"}], "names": ["qwen3:8b"], "n": 2}""";

        var filtered = JsonNode.Parse(Encoding.UTF8.GetString(ModelListFilter.Filter(Encoding.UTF8.GetBytes(Json), LlamaOnly)))!.AsObject();

        Assert.Equal(["head", "models", "names", "n"], filtered.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"x": [1, "qwen3"]}"""), filtered["head"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["qwen3:8b"]"""), filtered["names"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"name": "llama3.2"}]"""), filtered["models"]));
        Assert.Equal(2, filtered["n"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"models": null}""")]
    [InlineData("""{"models": {"name": "qwen3:8b"}}""")]
    [InlineData("""{"models": "qwen3:8b"}""")]
    public void ModelsThatAreNotAnArray_AreKeptAsTheyAre(string json)
    {
        var filtered = ModelListFilter.Filter(Encoding.UTF8.GetBytes(json), LlamaOnly);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(filtered)));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"models\"")]
    [InlineData("null")]
    public void AnswerThatIsNotAnObject_IsNotOllamasListShape(string json)
    {
        Assert.ThrowsAny<JsonException>(() => ModelListFilter.Filter(Encoding.UTF8.GetBytes(json), ModelAccess.All));
    }

    private static JsonArray Filter(string json, ModelAccess access) =>
        JsonNode.Parse(ModelListFilter.Filter(Encoding.UTF8.GetBytes(json), access))!["models"]!.AsArray();
}
