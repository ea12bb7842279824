using OllamaGateway.Validation;
using OllamaGateway.Json;

namespace OllamaGateway.Tests.Json;

public sealed class GoKeyFoldTests
{
    [Fact]
    public void Fold_FoldsAsciiLettersAndTheTwoNonAsciiLettersGoFoldsToAscii()
    {
        Assert.Equal("INSECURE", GoKeyFold.Fold("inſecure"));
        Assert.Equal("KEEP_ALIVE", GoKeyFold.Fold("\u212Aeep_alive"));
        Assert.Equal("ı", GoKeyFold.Fold("ı")); // U+0131: .NET's ignore-case would match it to "i", Go's fold does not
        Assert.Equal("`AZ{@", GoKeyFold.Fold("`az{@")); // the ends of the ASCII letters, and their neighbours
        Assert.Throws<ArgumentNullException>(() => GoKeyFold.Fold(null!));
    }

    [Fact]
    public void FieldSet_FindsTheKnownFieldACaseVariantStandsFor()
    {
        var fields = new FieldSet("options", "keep_alive");

        Assert.Equal("options", fields.CaseVariantOf("Options", GoKeyFold.Fold("Options")));
        Assert.Equal("keep_alive", fields.CaseVariantOf("\u212Aeep_alive", GoKeyFold.Fold("\u212Aeep_alive")));
        Assert.Null(fields.CaseVariantOf("options", GoKeyFold.Fold("options")));
        Assert.Null(fields.CaseVariantOf("option", GoKeyFold.Fold("option")));
    }
}
