using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Tests.Usage.Ledger;

public sealed class UsageEntryTests
{
    [Fact]
    public void Cut_KeepsTextUpToTheLimit_AndCutsLongerTextAtIt()
    {
        var atLimit = new string('a', UsageEntry.MaxTextLength);
        var over = atLimit + "b";

        Assert.Null(UsageEntry.Cut(null));
        Assert.Equal("llama3.2", UsageEntry.Cut("llama3.2"));
        Assert.Equal(atLimit, UsageEntry.Cut(atLimit));
        Assert.Equal(atLimit, UsageEntry.Cut(over));
    }
}
