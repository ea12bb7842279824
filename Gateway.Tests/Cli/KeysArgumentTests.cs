namespace OllamaGateway.Tests.Cli;

public sealed class KeysArgumentTests : IDisposable
{
    private readonly KeysCli _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["create"], "--name is required" },
        { ["create", "--name"], "--name needs a value" },
        { ["create", "--name="], "--name needs a value" },
        { ["create", "--name", "--admin"], "--name needs a value" },
        { ["create", "--name", "bad name"], "not a valid key name" },
        { ["create", "--name", "keys[0]"], "not a valid key name" },
        { ["create", "--name", new string('a', 65)], "not a valid key name" },
        { ["create", "--name", "a", "--name", "b"], "--name is given twice" },
        { ["create", "--name", "a", "--rpm", "many"], "--rpm must be a whole number" },
        { ["create", "--name", "a", "--rpm", "0"], "--rpm must be a whole number" },
        { ["create", "--name", "a", "--rpm=1.5"], "--rpm must be a whole number" },
        { ["create", "--name", "a", "--rpm", "99999999999"], "--rpm must be a whole number" },
        { ["create", "--name", "a", "--concurrency", "-1"], "--concurrency must be a whole number" },
        { ["create", "--name", "a", "--concurrency=-1"], "--concurrency must be a whole number" },
        { ["create", "--name", "a", "--rpm"], "--rpm needs a value" },
        { ["create", "--name", "a", "--expires", "2027-06-30"], "--expires must be an ISO 8601 time with a zone" },
        { ["create", "--name", "a", "--expires", "2027-06-30T00:00:00"], "--expires must be an ISO 8601 time with a zone" },
        { ["create", "--name", "a", "--expires", "tomorrow"], "--expires must be an ISO 8601 time with a zone" },
        { ["create", "--name", "a", "--expires", "2027-13-40T00:00:00Z"], "--expires must be an ISO 8601 time with a zone" },
        { ["create", "--name", "a", "--expires", "0d"], "number of days must be from 1" },
        { ["create", "--name", "a", "--expires", "2020-01-01T00:00:00Z"], "--expires is in the past" },
        { ["create", "--name", "a", "--models", "llama 3"], "--models: 'llama 3' is not a model name" },
        { ["create", "--name", "a", "--models", "llama3,,qwen3"], "--models: '' is not a model name" },
        { ["create", "--name", "a", "--models", "/library/llama3"], "is not a model name" },
        { ["create", "--name", "a", "--models", "llama3\"}"], "is not a model name" },
        { ["create", "--name", "a", "--admin=yes"], "--admin takes no value" },
        { ["create", "--name", "a", "--bogus"], "Unknown option '--bogus'" },
        { ["create", "--name", "a", "-n"], "Unknown option '-n'" },
        { ["create", "--name", "a", "extra"], "Unexpected argument 'extra'" },
        { ["create", "--name", "a", "--file"], "--file needs a value" },
        { ["create", "--name", "a", "--Gateway:KeysFile"], "--Gateway:KeysFile needs a value" },
        { ["list", "--admin"], "does not apply to 'keys list'" },
        { ["list", "--name", "a"], "does not apply to 'keys list'" },
        { ["list", "extra"], "Unexpected argument 'extra'" },
        { ["hash", "--rpm", "3"], "does not apply to 'keys hash'" },
        { ["revoke"], "Name the key to revoke" },
        { ["revoke", "a", "b"], "Unexpected argument 'b'" },
        { ["revoke", "a b"], "not a valid key name" },
        { ["revoke", "a", "--models", "x"], "does not apply to 'keys revoke'" },
        { ["rotate"], "Unknown keys command 'rotate'" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArguments_Exit2WithMessageAndUsage_AndLeaveNoFile(string[] args, string message)
    {
        var result = _cli.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: Gateway.Server keys create", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Empty(Directory.GetFiles(_cli.Directory.Path));
    }

    [Fact]
    public void BadArguments_LeaveAnExistingFileAlone()
    {
        _cli.Write(SampleKeyFiles.Mixed);

        Assert.Equal(2, _cli.RunOnFile("revoke", "bob", "--admin").ExitCode);
        Assert.Equal(2, _cli.RunOnFile("create", "--name", "dave", "--rpm", "x").ExitCode);

        Assert.Equal(SampleKeyFiles.Mixed, File.ReadAllText(_cli.KeysFile));
    }

    [Fact]
    public void NoCommand_Exit2WithUsage()
    {
        var result = _cli.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public void Help_Exit0WithUsageOnOutput(string argument)
    {
        var result = _cli.Run(argument);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("keys revoke NAME", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public void CommandLine_DispatchesKeys()
    {
        Assert.Contains("keys create|list|revoke|hash", OllamaGateway.Server.Commands.CommandLine.Usage, StringComparison.Ordinal);
    }
}
