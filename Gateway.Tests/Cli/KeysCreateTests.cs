using System.Text.Json.Nodes;
using OllamaGateway.Auth;
using OllamaGateway.Policy;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Tests.Cli;

public sealed class KeysCreateTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void NoFile_CreatesItWithHashAndPrefixOnly_AndPrintsTheKeyOnce()
    {
        var result = _cli.RunOnFile("create", "--name", "alice");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        var key = KeysCli.KeyIn(result.Output);
        Assert.Contains("shown only this once", result.Output, StringComparison.Ordinal);
        var entry = Assert.Single(_cli.Parse().Keys);
        Assert.Equal("alice", entry.Name);
        Assert.Equal(KeyHash.Compute(key), entry.Hash);
        Assert.Equal(key[..ApiKeyGenerator.DisplayPrefixLength], entry.Prefix);
        Assert.False(entry.IsPlainText);
        Assert.True(entry.Models.AllowsAll);
        Assert.False(entry.Admin);
        Assert.Null(entry.Expires);
        Assert.Equal(KeyLimits.None, entry.Limits);
        Assert.DoesNotContain(key, File.ReadAllText(_cli.KeysFile), StringComparison.Ordinal);
    }

    [Fact]
    public void AllOptions_AreStoredAsTheParserReadsThem()
    {
        var result = _cli.RunOnFile("create", "--name=build-bot", "--models", "llama3.2*,qwen3:*", "--models=hf.co/org/*",
            "--admin", "--expires", "2027-06-30T02:00:00+02:00", "--rpm", "60", "--concurrency=2");

        Assert.Equal(0, result.ExitCode);
        var entry = Assert.Single(_cli.Parse().Keys);
        Assert.Equal(["llama3.2*", "qwen3:*", "hf.co/org/*"], entry.Models.Patterns);
        Assert.True(entry.Admin);
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero), entry.Expires);
        Assert.Equal(new KeyLimits(60, 2), entry.Limits);
        Assert.Equal("2027-06-30T00:00:00Z", _cli.Entries()[0]!["expires"]!.GetValue<string>());
    }

    [Fact]
    public void ExpiresInDays_CountsFromNow()
    {
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "temp", "--expires", "30d").ExitCode);

        Assert.Equal(KeysCli.Now.AddDays(30), Assert.Single(_cli.Parse().Keys).Expires);
    }

    [Fact]
    public void StarModels_MeansEveryModel()
    {
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "any", "--models", "*").ExitCode);

        Assert.True(Assert.Single(_cli.Parse().Keys).Models.AllowsAll);
        Assert.Null(_cli.Entries()[0]!["models"]);
    }

    [Fact]
    public void StarModelsWithACloudModel_KeepsTheCloudModelBesideEveryLocalModel()
    {
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "any", "--models", "*,qwen3:*,gpt-oss:120b-cloud").ExitCode);

        var models = Assert.Single(_cli.Parse().Keys).Models;
        Assert.Equal([ModelAccess.EveryLocalModel, "gpt-oss:120b-cloud"], models.Patterns);
        Assert.True(models.Allows("alice/tuned:v1"));
        Assert.True(models.Allows("hf.co/org/repo:Q4_K_M"));
        Assert.True(models.Allows("gpt-oss:120b-cloud"));
        Assert.False(models.Allows("deepseek-v3.1:671b-cloud"));
    }

    [Fact]
    public void ExistingFile_KeepsEveryOtherEntryFieldOrderAndSchema()
    {
        _cli.Write(SampleKeyFiles.Mixed);
        var before = JsonNode.Parse(SampleKeyFiles.Mixed)!;

        var result = _cli.RunOnFile("create", "--name", "dave");

        Assert.Equal(0, result.ExitCode);
        var after = JsonNode.Parse(File.ReadAllText(_cli.KeysFile))!;
        Assert.Equal("https://example.test/keys.schema.json", after["$schema"]!.GetValue<string>());
        Assert.Equal(["$schema", "keys"], after.AsObject().Select(p => p.Key));
        var entries = after["keys"]!.AsArray();
        Assert.Equal(4, entries.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(JsonNode.DeepEquals(before["keys"]![i], entries[i]), $"keys[{i}] changed: {entries[i]!.ToJsonString()}");
        }

        Assert.Equal(["keys[0]", "bob", "carol", "dave"], _cli.Parse().Keys.Select(k => k.Name));
        Assert.Contains("\"2027-06-30T02:00:00+02:00\"", File.ReadAllText(_cli.KeysFile), StringComparison.Ordinal);
        Assert.DoesNotContain("comments", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("BOB")]
    public void NameAlreadyUsed_IgnoringCase_Exit1AndFileUnchanged(string name)
    {
        _cli.Write(SampleKeyFiles.Mixed);

        var result = _cli.RunOnFile("create", "--name", name);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already exists", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ogw-", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(SampleKeyFiles.Mixed, File.ReadAllText(_cli.KeysFile));
    }

    [Fact]
    public void FileWithComments_SaysTheCommentsWereDropped()
    {
        _cli.Write("""
            {
              // who may use the gateway
              "keys": [ /* none yet */ ]
            }
            """);

        var result = _cli.RunOnFile("create", "--name", "alice");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("comments", result.Output, StringComparison.Ordinal);
        Assert.Equal("alice", Assert.Single(_cli.Parse().Keys).Name);
    }

    [Fact]
    public void TwoCreates_MakeDifferentKeys()
    {
        var first = KeysCli.KeyIn(_cli.RunOnFile("create", "--name", "one").Output);
        var second = KeysCli.KeyIn(_cli.RunOnFile("create", "--name", "two").Output);

        Assert.NotEqual(first, second);
        var keys = _cli.Parse();
        Assert.Equal("one", keys.Find(first)!.Name);
        Assert.Equal("two", keys.Find(second)!.Name);
    }
}
