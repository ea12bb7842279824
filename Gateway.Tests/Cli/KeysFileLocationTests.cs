using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>The commands find the keys file the way the server does. Nothing here touches process-wide state.</summary>
public sealed class KeysFileLocationTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void NoSetting_UsesKeysJsonInTheContentRoot()
    {
        Assert.Equal(0, _cli.Run("create", "--name", "alice").ExitCode);

        Assert.Equal("alice", Assert.Single(_cli.Parse().Keys).Name);
    }

    [Theory]
    [InlineData("--Gateway:KeysFile=conf/other.json")]
    [InlineData("--Gateway:KeysFile", "conf/other.json")]
    public void GatewayKeysFileArgument_IsResolvedAgainstTheContentRoot(params string[] setting)
    {
        var result = _cli.Run(["create", "--name", "alice", .. setting]);

        Assert.Equal(0, result.ExitCode);
        var path = _cli.Directory.PathOf(Path.Combine("conf", "other.json"));
        Assert.Contains(path, result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(_cli.KeysFile));
    }

    [Fact]
    public void AppSettingsJson_InTheContentRoot_IsHonoured()
    {
        File.WriteAllText(_cli.Directory.PathOf("appsettings.json"), """{"Gateway": {"KeysFile": "from-settings.json"}}""");

        Assert.Equal(0, _cli.Run("create", "--name", "alice").ExitCode);

        Assert.True(File.Exists(_cli.Directory.PathOf("from-settings.json")));
    }

    [Fact]
    public void FileOption_BeatsConfiguration()
    {
        File.WriteAllText(_cli.Directory.PathOf("appsettings.json"), """{"Gateway": {"KeysFile": "from-settings.json"}}""");
        using var elsewhere = new TempDirectory();
        var path = elsewhere.PathOf("chosen.json");

        Assert.Equal(0, _cli.Run("create", "--name", "alice", "--Gateway:KeysFile=from-args.json", "--file", path).ExitCode);

        Assert.True(File.Exists(path));
        Assert.Equal(["chosen.json"], Directory.GetFiles(elsewhere.Path).Select(Path.GetFileName));
        Assert.Equal(["appsettings.json"], Directory.GetFiles(_cli.Directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void EmptySetting_IsAConfigurationError()
    {
        var result = _cli.Run("list", "--Gateway:KeysFile=");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Gateway:KeysFile must name the keys file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenAppSettings_IsAConfigurationError()
    {
        File.WriteAllText(_cli.Directory.PathOf("appsettings.json"), "{ not json");

        var result = _cli.Run("list");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Configuration error:", result.Error, StringComparison.Ordinal);
    }
}
