using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>
/// keys.json as people write it — trailing commas, comments, escaped quotes — is edited as the gateway reads it, and
/// the warning that a rewrite drops comments is given exactly when the file has some.
/// </summary>
public sealed class KeyFileSyntaxTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string KeysFile => _directory.PathOf("keys.json");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AFileWithTrailingCommas_IsEdited_AndItsKeysKept()
    {
        File.WriteAllText(KeysFile, """{"keys": [{"name": "alice", "key": "sk-alice-0123456789",},],}""");

        var editor = KeyFileEditor.Open(KeysFile);
        editor.Add(NewKeyEntry.ForKey("bob", "sk-bob-0123456789"));
        editor.Save();

        var keys = KeyFileParser.Parse(File.ReadAllBytes(KeysFile), KeysFile);
        Assert.NotNull(keys.Find("sk-alice-0123456789"));
        Assert.NotNull(keys.Find("sk-bob-0123456789"));
    }

    [Fact]
    public void TheFirstRunKey_IsAddedToAFileWithTrailingCommas()
    {
        File.WriteAllText(KeysFile, """{"keys": [{"name": "alice", "key": "sk-alice-0123456789"},]}""");

        KeyFileWriter.AddHashedKey(KeysFile, "first", KeyHash.Compute("sk-first-0123456789"));

        var keys = KeyFileParser.Parse(File.ReadAllBytes(KeysFile), KeysFile);
        Assert.NotNull(keys.Find("sk-alice-0123456789"));
        Assert.NotNull(keys.Find("sk-first-0123456789"));
    }

    [Theory]
    [InlineData("// the team's keys\n{\"keys\": [{\"name\": \"alice\", \"key\": \"sk-alice-0123456789\"}]}")]
    [InlineData("{\"keys\": [ /* alice */ {\"name\": \"alice\", \"key\": \"sk-alice-0123456789\"}]}")]
    [InlineData("{\"keys\": [{\"name\": \"alice\", \"key\": \"sk-alice-0123456789\"} // ops\n]}")]
    public void Comments_AreNoticed_WhereverTheyStand(string json)
    {
        File.WriteAllText(KeysFile, json);

        Assert.True(KeyFileEditor.Open(KeysFile).HadComments);
    }

    [Theory]
    [InlineData("{\"$schema\": \"https://example.com/keys.schema.json\", \"keys\": [{\"name\": \"alice\", \"key\": \"sk-alice-0123456789\"}]}")]
    [InlineData("{\"$schema\": \"a \\\"quoted // part\\\" /* too */\", \"keys\": [{\"name\": \"alice\", \"key\": \"sk-alice-0123456789\"}]}")]
    public void SlashesInsideStrings_AreNotComments(string json)
    {
        File.WriteAllText(KeysFile, json);

        Assert.False(KeyFileEditor.Open(KeysFile).HadComments);
    }

    [Fact]
    public void AFailedReplace_LeavesNoTemporaryFileBehind()
    {
        // The target is a folder: the final move fails after the temporary file was written.
        Directory.CreateDirectory(KeysFile);

        Assert.ThrowsAny<IOException>(() => KeyFileWriter.WriteAtomically(KeysFile, "{\"keys\": []}"u8.ToArray()));

        Assert.Empty(Directory.GetFiles(_directory.Path));
    }
}
