using System.Text;
using OllamaGateway.Auth;

namespace OllamaGateway.Tests.Auth;

public sealed class KeyFileParserTests
{
    private const string AliceHash = "sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90"; // sha256("alice")

    private static ApiKeySet Parse(string json) => KeyFileParser.Parse(Encoding.UTF8.GetBytes(json), "keys.json");

    private static string ParseError(string json) => Assert.Throws<KeyFileException>(() => Parse(json)).Message;

    [Fact]
    public void OriginalProxyFormat_AuthenticatesEachKey()
    {
        var keys = Parse("""{"keys": ["sk-one", "sk-two"]}""");

        Assert.Equal(2, keys.Keys.Count);
        Assert.Equal("keys[0]", keys.Find("sk-one")!.Name);
        Assert.Equal("keys[1]", keys.Find("sk-two")!.Name);
        Assert.Null(keys.Find("sk-three"));
        Assert.Null(keys.Find("sk-on"));
    }

    [Fact]
    public void NamedPlainAndHashedEntries_Authenticate()
    {
        var keys = Parse($$"""{"keys": [{"name": "bob", "key": "sk-bob"}, {"name": "alice", "hash": "{{AliceHash}}"}]}""");

        Assert.Equal("bob", keys.Find("sk-bob")!.Name);
        Assert.Equal("alice", keys.Find("alice")!.Name);
        Assert.Null(keys.Find(AliceHash));
    }

    [Fact]
    public void HashInUpperCaseHex_IsAccepted()
    {
        var keys = Parse($$"""{"keys": [{"name": "alice", "hash": "sha256:{{AliceHash[7..].ToUpperInvariant()}}"}]}""");

        Assert.NotNull(keys.Find("alice"));
    }

    [Fact]
    public void CommentsAndTrailingCommas_AreAllowed()
    {
        var keys = Parse("""
            {
              // team keys
              "keys": ["sk-one",],
            }
            """);

        Assert.Single(keys.Keys);
    }

    [Fact]
    public void EmptyKeysArray_IsAnEmptySet()
    {
        Assert.Empty(Parse("""{"keys": []}""").Keys);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[\"sk-a\"]", "must be a JSON object")]
    [InlineData("{}", "must have a 'keys' array")]
    [InlineData("{\"keys\": \"sk-a\"}", "must have a 'keys' array")]
    [InlineData("{\"keys\": [], \"extra\": 1}", "unknown top-level field 'extra'")]
    [InlineData("{\"keys\": [], \"keys\": []}", "top level: the field 'keys' appears twice")]
    [InlineData("{\"keys\": [], \"Keys\": []}", "appears twice")]
    [InlineData("{\"keys\": [1]}", "keys[0]: an entry must be")]
    [InlineData("{\"keys\": [\"\"]}", "keys[0]: a key must be")]
    [InlineData("{\"keys\": [\"sk a\"]}", "keys[0]: a key must be")]
    [InlineData("{\"keys\": [\"sk-a\", \"sk-a\"]}", "keys[1]: the same key appears twice")]
    [InlineData("{\"keys\": [{\"key\": \"sk-a\"}]}", "keys[0]: 'name' is required")]
    [InlineData("{\"keys\": [{\"name\": \"a b\", \"key\": \"sk-a\"}]}", "keys[0]: 'name' is required")]
    [InlineData("{\"keys\": [{\"name\": \"a\"}]}", "give exactly one of 'key' or 'hash'")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"key\": \"sk-a\", \"hash\": \"sha256:00\"}]}", "give exactly one of 'key' or 'hash'")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"hash\": \"sha256:abc\"}]}", "'hash' must be 'sha256:' followed by 64 hex digits")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"hash\": \"md5:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90\"}]}", "'hash' must be")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"hash\": \"sha256:zz2806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90\"}]}", "'hash' must be")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"key\": 5}]}", "keys[0]: 'key' must be a string")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"key\": \"sk-a\", \"colour\": \"red\"}]}", "keys[0]: unknown field 'colour'")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"key\": \"sk-a\"}, {\"name\": \"A\", \"key\": \"sk-b\"}]}", "keys[1]: the name 'A' is used twice")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"key\": \"sk-a\", \"KEY\": \"sk-b\"}]}", "appears twice")]
    public void MalformedFile_IsRejectedSayingWhere(string json, string expected)
    {
        var message = ParseError(json);

        Assert.Contains(expected, message);
        Assert.StartsWith("Keys file 'keys.json'", message);
    }

    [Fact]
    public void InvalidJson_IsPlacedByLineAndPositionCountedFromOne()
    {
        var message = ParseError("{\"keys\": [\n  \"sk-a\",,\n]}");

        Assert.Contains("not valid JSON (line 2, position 10)", message);
    }

    [Fact]
    public void RejectionMessage_NeverContainsTheKey()
    {
        var message = ParseError("""{"keys": ["sk-secret-value", "sk-secret-value"]}""");

        Assert.DoesNotContain("sk-secret-value", message);
    }
}
