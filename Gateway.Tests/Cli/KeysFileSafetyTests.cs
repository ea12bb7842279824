using System.Text;
using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Tests.Cli;

public sealed class KeysFileSafetyTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string, string[]> BrokenFiles => new()
    {
        { """{"keys": ["sk-one-0123456789",]""", ["create", "--name", "a"] },
        { """{"keys": ["sk-one-0123456789", {"name": "bob", "key": "sk-bob-0123456789", "admn": true}]}""", ["create", "--name", "a"] },
        { """{"keys": ["sk-one-0123456789", {"name": "bob", "key": "sk-bob-0123456789", "admn": true}]}""", ["revoke", "bob"] },
        { """{"keys": ["sk-one-0123456789", {"name": "bob", "key": "sk-bob-0123456789", "admn": true}]}""", ["hash"] },
        { """{"keys": ["sk-one-0123456789", {"name": "bob", "key": "sk-bob-0123456789", "admn": true}]}""", ["list"] },
        { """{"keys": ["sk-one-0123456789", "sk-one-0123456789"]}""", ["revoke", "keys[1]"] },
        { """{"kes": []}""", ["hash"] },
        { "", ["create", "--name", "a"] },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void FileThatDoesNotParse_IsNeverRewritten_Exit1WithTheParserMessage(string content, string[] args)
    {
        _cli.Write(content);
        var expected = Assert.Throws<KeyFileException>(() => KeyFileParser.Parse(Encoding.UTF8.GetBytes(content), _cli.KeysFile)).Message;

        var result = _cli.RunOnFile(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(_cli.KeysFile));
        Assert.Single(Directory.GetFiles(_cli.Directory.Path));
    }

    [Theory]
    [InlineData("create --name dave")]
    [InlineData("revoke bob")]
    [InlineData("hash")]
    public void EveryWrite_LeavesTheFileReadableByItsOwnerOnly(string command)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _cli.Write(SampleKeyFiles.Mixed);
        File.SetUnixFileMode(_cli.KeysFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Equal(0, _cli.RunOnFile(command.Split(' ')).ExitCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.KeysFile));
        Assert.Single(Directory.GetFiles(_cli.Directory.Path));
    }

    [Fact]
    public void NewFile_IsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(0, _cli.RunOnFile("create", "--name", "alice").ExitCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.KeysFile));
    }

    [Fact]
    public void FileChangedWhileEditing_IsNotOverwritten()
    {
        _cli.Write(SampleKeyFiles.Mixed);
        var editor = KeyFileEditor.Open(_cli.KeysFile);
        editor.RemoveAt(editor.IndexOf("bob"));
        const string Meanwhile = """{"keys": ["sk-written-meanwhile-0123"]}""";
        _cli.Write(Meanwhile);

        var error = Assert.Throws<KeyFileException>(editor.Save);

        Assert.Contains("changed by something else", error.Message, StringComparison.Ordinal);
        Assert.Equal(Meanwhile, File.ReadAllText(_cli.KeysFile));
    }

    [Fact]
    public void SchemaUrl_IsNotTakenForAComment()
    {
        _cli.Write(SampleKeyFiles.Mixed);

        Assert.False(KeyFileEditor.Open(_cli.KeysFile).HadComments);
    }

    [Theory]
    [InlineData("{\"keys\": [] // none\n}")]
    [InlineData("{\"keys\": [] /* none */}")]
    [InlineData("{\"keys\": [\"a\\\"//\"] /**/}")]
    public void Comments_AreDetected(string json)
    {
        _cli.Write(json);

        Assert.True(KeyFileEditor.OpenOrNew(_cli.KeysFile).HadComments);
    }
}
