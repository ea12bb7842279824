using System.Text.Json.Nodes;
using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Tests.Cli;

public sealed class KeysHashTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void BothPlainForms_BecomeHashes_KeepingNamesFieldsAndOrder()
    {
        _cli.Write(SampleKeyFiles.Mixed);
        var before = JsonNode.Parse(SampleKeyFiles.Mixed)!["keys"]!;

        var result = _cli.RunOnFile("hash");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Replaced 2 plain-text keys", result.Output, StringComparison.Ordinal);
        Assert.Contains("keys[0] is now named 'key-0'", result.Output, StringComparison.Ordinal);
        var text = File.ReadAllText(_cli.KeysFile);
        Assert.DoesNotContain(SampleKeyFiles.BareKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleKeyFiles.BobKey, text, StringComparison.Ordinal);

        var keys = _cli.Parse();
        Assert.All(keys.Keys, k => Assert.False(k.IsPlainText));
        Assert.Equal(["key-0", "bob", "carol"], keys.Keys.Select(k => k.Name));
        Assert.Equal("key-0", keys.Find(SampleKeyFiles.BareKey)!.Name);
        var bob = keys.Find(SampleKeyFiles.BobKey)!;
        Assert.Equal("bob", bob.Name);
        Assert.True(bob.Admin);
        Assert.Equal(["llama3.2*"], bob.Models.Patterns);
        Assert.Equal(new KeyLimits(null, 3), bob.Limits);

        var entries = _cli.Entries();
        Assert.Equal(["name", "hash", "models", "admin", "limits"], entries[1]!.AsObject().Select(p => p.Key));
        Assert.Equal(["name", "hash"], entries[0]!.AsObject().Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(before[2], entries[2]));
    }

    [Fact]
    public void SecondRun_ChangesNothing()
    {
        _cli.Write(SampleKeyFiles.Mixed);
        Assert.Equal(0, _cli.RunOnFile("hash").ExitCode);
        var afterFirst = File.ReadAllBytes(_cli.KeysFile);

        var result = _cli.RunOnFile("hash");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("nothing to do", result.Output, StringComparison.Ordinal);
        Assert.Equal(afterFirst, File.ReadAllBytes(_cli.KeysFile));
    }

    [Fact]
    public void TakenName_BareStringGetsTheNextFreeOne()
    {
        _cli.Write("""{"keys": ["sk-first-0123456789", {"name": "KEY-0", "key": "sk-named-0123456789"}, "sk-third-0123456789", {"name": "key-1", "hash": "sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90"}]}""");

        Assert.Equal(0, _cli.RunOnFile("hash").ExitCode);

        var keys = _cli.Parse();
        Assert.Equal(["key-2", "KEY-0", "key-3", "key-1"], keys.Keys.Select(k => k.Name));
        Assert.Equal("key-2", keys.Find("sk-first-0123456789")!.Name);
        Assert.Equal("key-3", keys.Find("sk-third-0123456789")!.Name);
        Assert.Equal("KEY-0", keys.Find("sk-named-0123456789")!.Name);
    }

    [Fact]
    public void GeneratedKey_GetsItsDisplayPrefix_OtherKeysDoNot()
    {
        var generated = ApiKeyGenerator.Create();
        _cli.Write($$"""{"keys": ["{{generated}}", {"name": "short", "key": "sk-short-0123456789"}]}""");

        Assert.Equal(0, _cli.RunOnFile("hash").ExitCode);

        var keys = _cli.Parse();
        Assert.Equal(generated[..ApiKeyGenerator.DisplayPrefixLength], keys.Find(generated)!.Prefix);
        Assert.Null(keys.Find("sk-short-0123456789")!.Prefix);
    }
}
