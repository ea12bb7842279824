using System.Text.Json.Nodes;
using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Tests.Cli;

/// <summary>
/// <c>keys create</c> with exactly one right or limit: that one is written and read back, and nothing else is
/// (a limit given alone must never be dropped, since the key would then be unlimited).
/// </summary>
public sealed class KeysCreateSingleRightTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("--rpm", "requestsPerMinute")]
    [InlineData("--concurrency", "concurrentRequests")]
    [InlineData("--tpm", "tokensPerMinute")]
    [InlineData("--tpd", "tokensPerDay")]
    public void OneLimitAlone_IsWrittenAndEnforcedAsGiven(string option, string field)
    {
        var result = _cli.RunOnFile("create", "--name", "one", option, "7");

        Assert.Equal(0, result.ExitCode);
        var entry = _cli.Entries()[0]!.AsObject();
        Assert.True(JsonNode.DeepEquals(new JsonObject { [field] = 7 }, entry["limits"]));
        var limits = Assert.Single(_cli.Parse().Keys).Limits;
        var expected = field switch
        {
            "requestsPerMinute" => new KeyLimits(7, null),
            "concurrentRequests" => new KeyLimits(null, 7),
            "tokensPerMinute" => new KeyLimits(null, null, 7),
            _ => new KeyLimits(null, null, null, 7),
        };
        Assert.Equal(expected, limits);
    }

    [Theory]
    [InlineData("--admin", "admin")]
    [InlineData("--metrics", "metrics")]
    public void OneFlagAlone_IsWrittenAsTrue_AndNothingElse(string option, string field)
    {
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "one", option).ExitCode);

        var entry = _cli.Entries()[0]!.AsObject();
        Assert.Equal(["name", "hash", "prefix", field], entry.Select(p => p.Key));
        Assert.True(entry[field]!.GetValue<bool>());
    }

    [Fact]
    public void NoRights_WritesNameHashAndPrefixOnly()
    {
        Assert.Equal(0, _cli.RunOnFile("create", "--name", "plain").ExitCode);

        Assert.Equal(["name", "hash", "prefix"], _cli.Entries()[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void EntryForAShortKey_StoresTheWholeKeyAsItsPrefix_AndALongKeyOnlyItsFirstCharacters()
    {
        Assert.Equal("sk-abc", NewKeyEntry.ForKey("short", "sk-abc").Prefix);
        Assert.Equal("sk-ogw-AbCdE", NewKeyEntry.ForKey("long", "sk-ogw-AbCdEfGhIjKlMn").Prefix);
        Assert.Equal(KeyHash.Compute("sk-abc"), NewKeyEntry.ForKey("short", "sk-abc").Hash);
    }

    [Fact]
    public void EmptyModelList_IsLeftOut_AsEveryModel()
    {
        var entry = new NewKeyEntry("all", KeyHash.Compute("sk-all-0123456789")) { Models = [] }.ToJson();

        Assert.Null(entry["models"]);
    }
}
