using System.Text.Json.Nodes;

namespace OllamaGateway.Tests.Cli;

public sealed class KeysRevokeTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("bob")]
    [InlineData("Bob")]
    public void KnownName_RemovesOnlyThatEntry(string name)
    {
        _cli.Write(SampleKeyFiles.Mixed);
        var before = JsonNode.Parse(SampleKeyFiles.Mixed)!;

        var result = _cli.RunOnFile("revoke", name);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Revoked key 'bob'", result.Output, StringComparison.Ordinal);
        var keys = _cli.Parse();
        Assert.Equal(["keys[0]", "carol"], keys.Keys.Select(k => k.Name));
        Assert.Null(keys.Find(SampleKeyFiles.BobKey));
        var entries = _cli.Entries();
        Assert.True(JsonNode.DeepEquals(before["keys"]![0], entries[0]));
        Assert.True(JsonNode.DeepEquals(before["keys"]![2], entries[1]));
        Assert.Equal("https://example.test/keys.schema.json", JsonNode.Parse(File.ReadAllText(_cli.KeysFile))!["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void BareString_IsRevokedByItsPositionName()
    {
        _cli.Write($$"""{"keys": ["sk-first-0123456789", "sk-second-0123456789", {"name": "bob", "key": "{{SampleKeyFiles.BobKey}}"}]}""");

        var result = _cli.RunOnFile("revoke", "KEYS[0]");

        Assert.Equal(0, result.ExitCode);
        var keys = _cli.Parse();
        Assert.Null(keys.Find("sk-first-0123456789"));
        Assert.Equal("keys[0]", keys.Find("sk-second-0123456789")!.Name);
        Assert.Equal("bob", keys.Find(SampleKeyFiles.BobKey)!.Name);
        Assert.Contains("new positions", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownName_Exit1AndFileUnchanged()
    {
        _cli.Write(SampleKeyFiles.Mixed);

        var result = _cli.RunOnFile("revoke", "mallory");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No key named 'mallory'", result.Error, StringComparison.Ordinal);
        Assert.Equal(SampleKeyFiles.Mixed, File.ReadAllText(_cli.KeysFile));
    }

    [Fact]
    public void LastKey_LeavesAnEmptyListAndSaysNothingGetsIn()
    {
        _cli.Write("""{"keys": [{"name": "only", "key": "sk-only-0123456789"}]}""");

        var result = _cli.RunOnFile("revoke", "only");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(_cli.Parse().Keys);
        Assert.Contains("refuses every request", result.Output, StringComparison.Ordinal);
    }
}
