using OllamaGateway.Server.Keys;

namespace OllamaGateway.Tests.Cli;

/// <summary>
/// <c>keys hash</c> on entries written by hand: every field order converts, and the display prefix is stored only for
/// a key in the generator's exact format (for any other key, its first characters may be much of the secret).
/// </summary>
public sealed class KeysHashEntryFormTests : IDisposable
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void KeyAsTheEntrysFirstField_IsHashedInItsPlace()
    {
        _cli.Write("""{"keys": [{"key": "sk-first-field-0123456789", "name": "first", "admin": true}]}""");

        var result = _cli.RunOnFile("hash");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("sk-first-field-0123456789", File.ReadAllText(_cli.KeysFile), StringComparison.Ordinal);
        var key = Assert.Single(_cli.Parse().Keys);
        Assert.False(key.IsPlainText);
        Assert.Equal(key, _cli.Parse().Find("sk-first-field-0123456789"));
        Assert.Equal(["hash", "name", "admin"], _cli.Entries()[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void GeneratedKeyInAnObject_GetsItsPrefixRightAfterTheHash()
    {
        var generated = ApiKeyGenerator.Create();
        _cli.Write($$"""{"keys": [{"name": "gen", "key": "{{generated}}", "admin": true}]}""");

        Assert.Equal(0, _cli.RunOnFile("hash").ExitCode);

        Assert.Equal(generated[..ApiKeyGenerator.DisplayPrefixLength], Assert.Single(_cli.Parse().Keys).Prefix);
        Assert.Equal(["name", "hash", "prefix", "admin"], _cli.Entries()[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void PrefixAlreadyInTheEntry_IsKept()
    {
        var generated = ApiKeyGenerator.Create();
        _cli.Write($$"""{"keys": [{"name": "gen", "prefix": "mine", "key": "{{generated}}"}]}""");

        Assert.Equal(0, _cli.RunOnFile("hash").ExitCode);

        Assert.Equal("mine", Assert.Single(_cli.Parse().Keys).Prefix);
        Assert.Equal(["name", "prefix", "hash"], _cli.Entries()[0]!.AsObject().Select(p => p.Key));
    }

    public static TheoryData<string> NotGeneratorFormat() => new()
    {
        // One character short and one too many.
        ApiKeyGenerator.Prefix + Base62[..42],
        ApiKeyGenerator.Prefix + Base62[..42] + "ab",
        // The right length, with a character the generator never makes.
        ApiKeyGenerator.Prefix + Base62[..42] + "_",
        ApiKeyGenerator.Prefix + "-" + Base62[..42],
        // The right length and alphabet, another prefix.
        "sk-xyz-" + Base62[..43],
        "SK-OGW-" + Base62[..43],
    };

    [Theory]
    [MemberData(nameof(NotGeneratorFormat))]
    public void KeyNotInTheGeneratorsFormat_GetsNoPrefix_InEitherEntryForm(string key)
    {
        foreach (var file in new[] { $$"""{"keys": ["{{key}}"]}""", $$"""{"keys": [{"name": "named", "key": "{{key}}"}]}""" })
        {
            _cli.Write(file);

            Assert.Equal(0, _cli.RunOnFile("hash").ExitCode);

            Assert.Null(_cli.Parse().Find(key)!.Prefix);
            Assert.Null(_cli.Entries()[0]!["prefix"]);
        }
    }
}
