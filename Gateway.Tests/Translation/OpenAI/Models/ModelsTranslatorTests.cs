using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Models;
using OllamaGateway.Translation.OpenAI.Models;

// OpenAIContext, the SDK's own reader for its models, is tagged as an evaluation API; these tests use it only
// to prove the official SDK reads our bytes, so an API change there breaks a test, never the gateway.
#pragma warning disable OPENAI001

namespace OllamaGateway.Tests.Translation.OpenAI.Models;

public sealed class ModelsTranslatorTests
{
    // Shaped like a real /api/tags answer (wire reference §1.7), with details and capabilities to skip.
    private const string Tags = """
        {"models":[
          {"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2024-10-01T12:00:00.123456789-07:00","size":2019393189,
           "digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
           "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"3.2B","quantization_level":"Q4_K_M"},
           "capabilities":["completion","tools"]},
          {"name":"alice/mymodel:v1","model":"alice/mymodel:v1","modified_at":"2025-01-02T03:04:05Z","size":1,"digest":"x","details":{}},
          {"name":"hf.co/Org/Repo:Q4_K_M","model":"hf.co/Org/Repo:Q4_K_M","modified_at":"2025-06-07T08:09:10.5Z"},
          {"name":"registry.local:5000/team/embedder:latest","model":"registry.local:5000/team/embedder:latest","modified_at":"2025-01-01T00:00:00+02:00"}
        ]}
        """;

    [Fact]
    public void List_WritesOpenAIListShape()
    {
        using var doc = TranslateList(Tags);
        var root = doc.RootElement;

        Assert.Equal(["object", "data"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("list", root.GetProperty("object").GetString());
        var data = root.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(4, data.Length);
        foreach (var model in data)
        {
            Assert.Equal(["id", "object", "created", "owned_by"], model.EnumerateObject().Select(p => p.Name));
            Assert.Equal("model", model.GetProperty("object").GetString());
        }
    }

    [Fact]
    public void List_KeepsOllamaOrderAndIds()
    {
        using var doc = TranslateList(Tags);

        Assert.Equal(
            ["llama3.2:latest", "alice/mymodel:v1", "hf.co/Org/Repo:Q4_K_M", "registry.local:5000/team/embedder:latest"],
            Ids(doc));
    }

    [Fact]
    public void List_OwnedByIsTheNamespace()
    {
        using var doc = TranslateList(Tags);

        Assert.Equal(["library", "alice", "Org", "team"], doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("owned_by").GetString()));
    }

    [Fact]
    public void List_CreatedIsModifiedAtInUnixSeconds()
    {
        using var doc = TranslateList(Tags);

        var created = doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("created").GetInt64()).ToArray();
        Assert.Equal(
            [
                new DateTimeOffset(2024, 10, 1, 19, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
                new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(),
                new DateTimeOffset(2025, 6, 7, 8, 9, 10, TimeSpan.Zero).ToUnixTimeSeconds(),
                new DateTimeOffset(2024, 12, 31, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
            ],
            created);
    }

    [Theory]
    [InlineData("""{"models":[{"name":"m:latest","model":"m:latest"}]}""")]
    [InlineData("""{"models":[{"name":"m:latest","model":"m:latest","modified_at":null}]}""")]
    [InlineData("""{"models":[{"name":"m:latest","model":"m:latest","modified_at":"yesterday"}]}""")]
    [InlineData("""{"models":[{"name":"m:latest","model":"m:latest","modified_at":1700000000}]}""")]
    [InlineData("""{"models":[{"name":"m:latest","model":"m:latest","modified_at":"0001-01-01T00:00:00Z"}]}""")]
    public void List_CreatedIsZeroWhenModifiedAtIsUnusable(string json)
    {
        using var doc = TranslateList(json);

        Assert.Equal(0, doc.RootElement.GetProperty("data")[0].GetProperty("created").GetInt64());
    }

    [Theory]
    [InlineData("""{"models":[]}""")]
    [InlineData("""{"models":null}""")]
    [InlineData("""{}""")]
    public void List_WithNoModels_HasEmptyDataArray(string json)
    {
        using var doc = TranslateList(json);

        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("data").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void List_IdFallsBackToName()
    {
        using var doc = TranslateList("""{"models":[{"name":"old:latest"},{"name":"n:latest","model":""},{"name":"a:1","model":"b:2"}]}""");

        Assert.Equal(["old:latest", "n:latest", "b:2"], Ids(doc));
    }

    [Fact]
    public void List_SkipsModelsWithoutAnyName()
    {
        using var doc = TranslateList("""{"models":[{"size":1},{"name":null,"model":null},{"model":"kept:latest"}]}""");

        Assert.Equal(["kept:latest"], Ids(doc));
    }

    [Fact]
    public void List_FilterHidesModelsAndSeesEachId()
    {
        var seen = new List<string>();

        var bytes = ModelsTranslator.TranslateList(Encoding.UTF8.GetBytes(Tags), id =>
        {
            seen.Add(id);
            return !id.StartsWith("alice/", StringComparison.Ordinal) && !id.StartsWith("hf.co/", StringComparison.Ordinal);
        });

        using var doc = JsonDocument.Parse(bytes);
        Assert.Equal(["llama3.2:latest", "registry.local:5000/team/embedder:latest"], Ids(doc));
        Assert.Equal(["llama3.2:latest", "alice/mymodel:v1", "hf.co/Org/Repo:Q4_K_M", "registry.local:5000/team/embedder:latest"], seen);
    }

    [Fact]
    public void List_FilterRefusingAll_GivesEmptyData()
    {
        using var doc = JsonDocument.Parse(ModelsTranslator.TranslateList(Encoding.UTF8.GetBytes(Tags), _ => false));

        Assert.Equal(0, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void List_IgnoresOtherTopLevelKeys()
    {
        using var doc = TranslateList("""{"extra":{"models":[{"model":"decoy"}]},"models":[{"model":"real:latest"}],"more":[1,2]}""");

        Assert.Equal(["real:latest"], Ids(doc));
    }

    [Fact]
    public void List_IsReadableByTheOfficialSdk()
    {
        var bytes = ModelsTranslator.TranslateList(Encoding.UTF8.GetBytes(Tags));

        var models = ModelReaderWriter.Read<OpenAIModelCollection>(BinaryData.FromBytes(bytes), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;

        Assert.Equal(4, models.Count);
        Assert.Equal("alice/mymodel:v1", models[1].Id);
        Assert.Equal("alice", models[1].OwnedBy);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), models[1].CreatedAt);
    }

    [Theory]
    [InlineData("llama3.2")]
    [InlineData("llama3.2:latest")]
    [InlineData("LLAMA3.2")]
    [InlineData("Llama3.2:Latest")]
    [InlineData("library/llama3.2")]
    [InlineData("registry.ollama.ai/library/llama3.2:latest")]
    public void One_MatchesAsOllamaDoesAndEchoesTheRequestedId(string requested)
    {
        using var doc = TranslateOne(Tags, requested);

        var model = doc.RootElement;
        Assert.Equal(["id", "object", "created", "owned_by"], model.EnumerateObject().Select(p => p.Name));
        Assert.Equal(requested, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal("library", model.GetProperty("owned_by").GetString());
        Assert.Equal(new DateTimeOffset(2024, 10, 1, 19, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), model.GetProperty("created").GetInt64());
    }

    [Theory]
    [InlineData("alice/mymodel:v1", "alice")]
    [InlineData("ALICE/MyModel:V1", "alice")]
    [InlineData("hf.co/org/repo:q4_k_m", "Org")]
    [InlineData("registry.local:5000/team/embedder", "team")]
    public void One_FindsIdsWithSlashesAndColons(string requested, string ownedBy)
    {
        using var doc = TranslateOne(Tags, requested);

        Assert.Equal(requested, doc.RootElement.GetProperty("id").GetString());
        Assert.Equal(ownedBy, doc.RootElement.GetProperty("owned_by").GetString());
    }

    [Theory]
    [InlineData("llama3.2:3b")]
    [InlineData("llama3")]
    [InlineData("mymodel:v1")]
    [InlineData("bob/mymodel:v1")]
    [InlineData("hf.co/org/repo")]
    [InlineData("registry.local:5001/team/embedder")]
    [InlineData("")]
    [InlineData("llama3.2:")]
    public void One_WithNoMatch_IsNull(string requested)
    {
        Assert.Null(ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(Tags), requested));
    }

    [Theory]
    [InlineData("""{"models":null}""")]
    [InlineData("""{"models":[]}""")]
    [InlineData("""{}""")]
    public void One_WithNoModels_IsNull(string json)
    {
        Assert.Null(ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(json), "llama3.2"));
    }

    [Fact]
    public void One_HiddenByFilter_IsNull()
    {
        string? asked = null;

        var result = ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(Tags), "ALICE/mymodel:v1", id =>
        {
            asked = id;
            return false;
        });

        Assert.Null(result);
        Assert.Equal("alice/mymodel:v1", asked);
    }

    [Fact]
    public void One_AllowedByFilter_IsReturned()
    {
        var result = ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(Tags), "alice/mymodel:v1", id => id == "alice/mymodel:v1");

        Assert.NotNull(result);
    }

    [Fact]
    public void One_MatchesOnNameWhenModelDiffers()
    {
        using var doc = TranslateOne("""{"models":[{"name":"alias:latest","model":"real:latest","modified_at":"2025-01-01T00:00:00Z"}]}""", "alias");

        Assert.Equal("alias", doc.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void One_IsReadableByTheOfficialSdk()
    {
        var bytes = ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(Tags), "hf.co/Org/Repo:Q4_K_M")!;

        var model = ModelReaderWriter.Read<OpenAIModel>(BinaryData.FromBytes(bytes), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;

        Assert.Equal("hf.co/Org/Repo:Q4_K_M", model.Id);
        Assert.Equal("Org", model.OwnedBy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"models":{}}""")]
    [InlineData("""{"models":"none"}""")]
    [InlineData("""{"models":["llama3.2"]}""")]
    [InlineData("""{"models":[{"model":"a"}""")]
    [InlineData("""{"models":[],"models":[]}""")]
    public void MalformedTags_Throw(string json)
    {
        Assert.ThrowsAny<JsonException>(() => ModelsTranslator.TranslateList(Encoding.UTF8.GetBytes(json)));
        Assert.ThrowsAny<JsonException>(() => ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(json), "absent"));
    }

    private static JsonDocument TranslateList(string json) => JsonDocument.Parse(ModelsTranslator.TranslateList(Encoding.UTF8.GetBytes(json)));

    private static JsonDocument TranslateOne(string json, string id)
    {
        var bytes = ModelsTranslator.TranslateOne(Encoding.UTF8.GetBytes(json), id);
        Assert.NotNull(bytes);
        return JsonDocument.Parse(bytes);
    }

    private static string[] Ids(JsonDocument doc) => [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
}
