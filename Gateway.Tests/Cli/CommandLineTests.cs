using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>The whole command line as the program runs it: dispatch, help, completion and problems.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_ListsTheCommandsAndTheirSynopsis_Exit0(string argument)
    {
        Assert.Equal(0, Run(argument));

        var help = _output.ToString();
        Assert.Contains("Commands:", help, StringComparison.Ordinal);
        foreach (var command in new[] { "serve", "keys", "cert" })
        {
            Assert.Contains($"  {command} ", help, StringComparison.Ordinal);
        }

        Assert.Contains("Gateway.Server [serve] [--urls URLS] [--Section:Name VALUE]...", help, StringComparison.Ordinal);
        Assert.Contains("Gateway.Server keys create|list|revoke|hash [options]", help, StringComparison.Ordinal);
        Assert.Contains("Gateway.Server cert create [--host NAME_OR_IP]... [--out DIR] [--days N] [--force]", help, StringComparison.Ordinal);
        Assert.Empty(_error.ToString());
    }

    [Theory]
    [InlineData("cert", "help")]
    [InlineData("cert", "--help")]
    public void GroupHelp_ShowsEachOfItsCommands(params string[] args)
    {
        Assert.Equal(0, Run(args));

        Assert.Contains("  create  Make a self-signed certificate", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Gateway.Server cert create [--host NAME_OR_IP]... [--out DIR] [--days N] [--force]", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpWithBadArguments_StillShowsHelp()
    {
        Assert.Equal(0, Run("keys", "create", "--bogus", "--help"));

        Assert.Contains("--name <NAME>", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_error.ToString());
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("Keys")]
    public void UnknownCommand_Exit2WithTheCommandsSynopsis(string command)
    {
        Assert.Equal(2, Run(command, "list"));

        var error = _error.ToString();
        Assert.StartsWith($"Unknown command '{command}'.", error, StringComparison.Ordinal);
        Assert.Contains("Usage: Gateway.Server [serve]", error, StringComparison.Ordinal);
        Assert.Contains("Run 'Gateway.Server --help' for more.", error, StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public void GroupWithoutItsCommand_NamesTheCommands()
    {
        Assert.Equal(2, Run("keys"));

        Assert.StartsWith("'keys' needs a command: create, list, revoke or hash.", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralProblems_AreAllReported()
    {
        Assert.Equal(2, Run("keys", "create", "--rpm", "x", "--bogus", "extra"));

        var error = _error.ToString();
        Assert.Contains("--name is required.", error, StringComparison.Ordinal);
        Assert.Contains("--rpm must be a whole number of at least 1 (got 'x').", error, StringComparison.Ordinal);
        Assert.Contains("Unknown option '--bogus'.", error, StringComparison.Ordinal);
        Assert.Contains("Unexpected argument 'extra'.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--models", "llama3", "--models")]
    [InlineData("--rpm", "--rpm", "5")]
    public void AnOccurrenceWithoutAValue_IsRefusedEvenWhenAnotherHasOne(params string[] options)
    {
        Assert.Equal(2, Run(["keys", "create", "--name", "a", .. options, "--file", _directory.PathOf("keys.json")]));

        Assert.Contains("needs a value.", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.PathOf("keys.json")));
    }

    [Theory]
    [InlineData("--bogus", "Unknown option '--bogus'.")]
    [InlineData("--admin", "Option '--admin' does not apply to 'keys revoke'.")]
    public void OptionWhereRevokeWantsAName_IsAnOptionProblem(string option, string message)
    {
        Assert.Equal(2, Run("keys", "revoke", option, "--file", _directory.PathOf("keys.json")));

        Assert.StartsWith(message, _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Gateway:KeysFile=keys.json")]
    [InlineData("--Gateway:KeysFile", "keys.json")]
    public void ServerSettings_AreUnknownOptionsToACommandThatDoesNotReadTheConfiguration(params string[] setting)
    {
        Assert.Equal(2, Run(["cert", "create", "--out", _directory.PathOf("certs"), .. setting]));

        Assert.Contains($"Unknown option '{setting[0]}'.", _error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.PathOf("certs")));
    }

    [Theory]
    [InlineData("--Gateway:OllamaUrl=not a url")]
    [InlineData("--Gateway:OllamaUrl", "not a url")]
    public void NoCommand_Serves_PassingSettingsToTheServer(params string[] setting)
    {
        File.WriteAllText(_directory.PathOf("keys.json"), """{"keys":["sk-a"]}""");

        var exitCode = Run(["--urls", "http://127.0.0.1:0", .. setting, $"--Gateway:KeysFile={_directory.PathOf("keys.json")}",
            "--Logging:LogLevel:Default=None"]);

        // The setting reached the server's configuration, whose validation stops start-up naming it.
        Assert.Equal(1, exitCode);
        Assert.StartsWith("Configuration error: Gateway:OllamaUrl", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_HasOneLinePerCommand()
    {
        var lines = CommandLine.Usage.Split('\n', StringSplitOptions.TrimEntries);

        Assert.Equal(
            ["Usage: Gateway.Server [serve] [--urls URLS] [--Section:Name VALUE]...", "Gateway.Server keys create|list|revoke|hash [options]",
                "Gateway.Server cert create [--host NAME_OR_IP]... [--out DIR] [--days N] [--force]",
                "Gateway.Server usage [--since DATE|DURATION] [--until DATE|DURATION] [--key NAME]",
                "[--model GLOB] [--by key|model|day|hour[,...]] [--format table|json|csv]"],
            lines);
    }

    [Fact]
    public void SuggestDirective_CompletesOptions()
    {
        Assert.Equal(0, Run("[suggest:16]", "keys create --na"));

        Assert.Equal(["--name"], _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void SuggestDirective_CompletesCommands()
    {
        Assert.Equal(0, Run("[suggest:5]", "keys "));

        var suggestions = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("create", suggestions);
        Assert.Contains("revoke", suggestions);
    }

    private int Run(params string[] args) =>
        CommandLine.Run(args, new CommandContext(_output, _error, new FakeTimeProvider(KeysCli.Now), _directory.Path));
}
