using OllamaGateway.Configuration;
using OllamaGateway.Usage.Ledger;

namespace OllamaGateway.Tests.Usage.Ledger;

public sealed class UsageLedgerLocationTests
{
    [Fact]
    public void RelativePath_IsResolvedAgainstTheKeysFilesFolder()
    {
        var options = new GatewayOptions { KeysFile = "conf/keys.json", Usage = { Path = "data/usage.db" } };

        var location = new UsageLedgerLocation(options, functionsWorker: false, "/srv/gateway");

        Assert.Equal("/srv/gateway/conf/data/usage.db", location.Path);
        Assert.True(location.Enabled);
    }

    [Fact]
    public void NoOptions_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => new UsageLedgerLocation(null!, functionsWorker: false, "/srv/gateway"));
}
