using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public sealed class GoKeyFoldTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "model", "MODEL" },
        { "Model", "MODEL" },
        { "inſecure", "INSECURE" },
        { "\u212Aeep_alive", "KEEP_ALIVE" },
        { "keep_alive", "KEEP-ALIVE" },
        { "stream", "STREAMS" },
        { "ı", "I" }, // U+0131 dotless i: .NET's ignore-case would match it, Go's fold does not
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void FoldsTo_AgreesWithFold(string key, string fold)
    {
        Assert.Equal(GoKeyFold.Fold(key) == fold, GoKeyFold.FoldsTo(key, fold));
    }

    [Fact]
    public void Fold_FoldsAsciiLettersAndTheTwoNonAsciiLettersGoFoldsToAscii()
    {
        Assert.Equal("INSECURE", GoKeyFold.Fold("inſecure"));
        Assert.Equal("KEEP_ALIVE", GoKeyFold.Fold("\u212Aeep_alive"));
        Assert.Equal("ı", GoKeyFold.Fold("ı"));
        Assert.True(GoKeyFold.FoldsTo("Options", "OPTIONS"));
        Assert.False(GoKeyFold.FoldsTo("option", "OPTIONS"));
    }
}
