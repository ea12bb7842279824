using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>Sets an environment variable for the whole process, so it runs alone in the console collection.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeysEnvironmentTests
{
    private const string Variable = "Gateway__KeysFile";

    [Fact]
    public void GatewayKeysFileVariable_IsHonoured_AndAnArgumentBeatsIt()
    {
        using var cli = new KeysCli();
        var previous = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, "from-env.json");

            Assert.Equal(0, cli.Run("create", "--name", "alice").ExitCode);
            Assert.Equal(0, cli.Run("create", "--name", "bob", "--Gateway:KeysFile=from-args.json").ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, previous);
        }

        Assert.True(File.Exists(cli.Directory.PathOf("from-env.json")));
        Assert.True(File.Exists(cli.Directory.PathOf("from-args.json")));
        Assert.False(File.Exists(cli.KeysFile));
    }
}
