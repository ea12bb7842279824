using System.Text.Json.Nodes;
using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>
/// The one place keys.json is written: never a file the gateway would refuse, never over an edit made meanwhile,
/// never half a file; the first-run key is added to whatever the file already holds.
/// </summary>
public sealed class KeyFileWriterTests : IDisposable
{
    private const string Good = """{"keys": [{"name": "alice", "key": "sk-alice-0123456789"}]}""";

    private readonly TempDirectory _directory = new();

    private string KeysFile => _directory.PathOf("keys.json");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ContentTheGatewayWouldRefuse_IsNeverWritten()
    {
        File.WriteAllText(KeysFile, Good);
        var original = File.ReadAllBytes(KeysFile);
        var refused = new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["name"] = "bad name", ["key"] = "sk-bad-0123456789" }) };

        var error = Assert.Throws<KeyFileException>(() => KeyFileWriter.Replace(KeysFile, refused, original));

        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(KeysFile));
        Assert.Equal(["keys.json"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void RefusedContent_IsNotWrittenEvenWhereNoFileExistsYet()
    {
        var refused = new JsonObject { ["keys"] = new JsonArray("sk-same-0123456789", "sk-same-0123456789") };

        Assert.Throws<KeyFileException>(() => KeyFileWriter.Replace(KeysFile, refused, expectedCurrent: null));

        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void GoodContent_ReplacesTheFileWhole()
    {
        File.WriteAllText(KeysFile, Good);
        var root = new JsonObject { ["keys"] = new JsonArray("sk-replaced-0123456789") };

        KeyFileWriter.Replace(KeysFile, root, File.ReadAllBytes(KeysFile));

        var keys = KeyFileParser.Parse(File.ReadAllBytes(KeysFile), KeysFile);
        Assert.NotNull(keys.Find("sk-replaced-0123456789"));
        Assert.Null(keys.Find("sk-alice-0123456789"));
        Assert.Equal(["keys.json"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AddedKey_JoinsTheEntriesThereAndKeepsOtherFields()
    {
        File.WriteAllText(KeysFile, """{"$schema": "https://example.test/s.json", "keys": [{"name": "alice", "key": "sk-alice-0123456789"}]}""");

        KeyFileWriter.AddHashedKey(KeysFile, "default", KeyHash.Compute("sk-new-0123456789"));

        var keys = KeyFileParser.Parse(File.ReadAllBytes(KeysFile), KeysFile);
        Assert.Equal(["alice", "default"], keys.Keys.Select(k => k.Name));
        Assert.Equal("default", keys.Find("sk-new-0123456789")!.Name);
        Assert.Equal("https://example.test/s.json", JsonNode.Parse(File.ReadAllText(KeysFile))!["$schema"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"keys": null}""")]
    public void AddedKey_ToAFileWithoutAKeysArray_StartsOne(string content)
    {
        File.WriteAllText(KeysFile, content);

        KeyFileWriter.AddHashedKey(KeysFile, "default", KeyHash.Compute("sk-new-0123456789"));

        Assert.Equal("default", KeyFileParser.Parse(File.ReadAllBytes(KeysFile), KeysFile).Find("sk-new-0123456789")!.Name);
    }

    [Fact]
    public void AddedKey_CreatesAMissingFileAndItsFolder()
    {
        var path = _directory.PathOf(Path.Combine("conf", "keys.json"));

        KeyFileWriter.AddHashedKey(path, "default", KeyHash.Compute("sk-new-0123456789"));

        Assert.Equal("default", Assert.Single(KeyFileParser.Parse(File.ReadAllBytes(path), path).Keys).Name);
    }

    [Fact]
    public void AddedKey_WhoseNameIsTaken_LeavesTheFileAsItWas()
    {
        File.WriteAllText(KeysFile, """{"keys": [{"name": "DEFAULT", "key": "sk-alice-0123456789"}]}""");
        var original = File.ReadAllBytes(KeysFile);

        var error = Assert.Throws<KeyFileException>(() => KeyFileWriter.AddHashedKey(KeysFile, "default", KeyHash.Compute("sk-new-0123456789")));

        Assert.Contains("used twice", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(KeysFile));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"keys\"")]
    public void AddedKey_ToAFileThatIsNotAnObject_IsRefused(string content)
    {
        File.WriteAllText(KeysFile, content);

        var error = Assert.Throws<KeyFileException>(() => KeyFileWriter.AddHashedKey(KeysFile, "default", KeyHash.Compute("sk-new-0123456789")));

        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(KeysFile));
    }

    [Fact]
    public void WrittenFile_IsIndentedJsonEndingInANewLine_WithoutEscapedPlusSigns()
    {
        var root = new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["name"] = "a", ["key"] = "sk-a-0123456789", ["expires"] = "2027-06-30T02:00:00+02:00" }) };

        KeyFileWriter.Replace(KeysFile, root, expectedCurrent: null);

        var text = File.ReadAllText(KeysFile);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains("\n  \"keys\": [", text, StringComparison.Ordinal);
        Assert.Contains("+02:00", text, StringComparison.Ordinal);
    }
}
