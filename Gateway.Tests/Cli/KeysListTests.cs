namespace OllamaGateway.Tests.Cli;

public sealed class KeysListTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void MixedFile_ShowsNamesAndRights_NeverAKeyOrAHash()
    {
        _cli.Write(SampleKeyFiles.Mixed);
        _cli.Time.SetUtcNow(new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero));

        var result = _cli.RunOnFile("list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("NAME", StringComparison.Ordinal) && l.Contains("PREFIX", StringComparison.Ordinal) && l.EndsWith("LIMITS", StringComparison.Ordinal));
        var bare = Assert.Single(lines, l => l.StartsWith("keys[0]", StringComparison.Ordinal));
        Assert.Contains("(plain text)", bare, StringComparison.Ordinal);
        var bob = Assert.Single(lines, l => l.StartsWith("bob ", StringComparison.Ordinal));
        Assert.Equal(["bob", "(plain", "text)", "llama3.2*", "yes", "never", "no", "3", "concurrent"], bob.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var carol = Assert.Single(lines, l => l.StartsWith("carol ", StringComparison.Ordinal));
        Assert.Equal(["carol", "sk-ogw-AbCdE", "qwen3:*,hf.co/org/*", "no", "2027-06-30T00:00:00Z", "EXPIRED", "yes", "60/min,", "2", "concurrent"],
            carol.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'keys hash'", result.Output, StringComparison.Ordinal);

        foreach (var secret in new[] { SampleKeyFiles.BareKey, SampleKeyFiles.BobKey, "sha256:", SampleKeyFiles.CarolHash[7..], SampleKeyFiles.CarolHash[7..19] })
        {
            Assert.DoesNotContain(secret, result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void HashedEntryWithoutPrefix_ShowsHashOnly_AndNoPlainTextHint()
    {
        _cli.Write($$"""{"keys": [{"name": "carol", "hash": "{{SampleKeyFiles.CarolHash}}"}]}""");

        var result = _cli.RunOnFile("list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(hash only)", result.Output, StringComparison.Ordinal);
        Assert.Contains("never", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("EXPIRED", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("keys hash", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void List_NeverRewritesTheFile()
    {
        var text = "{ // kept\n" + SampleKeyFiles.Mixed[1..];
        _cli.Write(text);

        Assert.Equal(0, _cli.RunOnFile("list").ExitCode);

        Assert.Equal(text, File.ReadAllText(_cli.KeysFile));
    }

    [Fact]
    public void EmptyFile_SaysSo()
    {
        _cli.Write("""{"keys": []}""");

        var result = _cli.RunOnFile("list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No keys", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_Exit1()
    {
        var result = _cli.RunOnFile("list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.KeysFile));
    }
}
