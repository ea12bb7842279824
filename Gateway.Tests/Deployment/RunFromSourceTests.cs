using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Deployment;

/// <summary>
/// The README's first command, <c>dotnet run --project Gateway.Server</c> from the repository root, must use the
/// top-level keys.json, and a keys file holding keys must never be something <c>git add -A</c> picks up.
/// </summary>
public sealed class RunFromSourceTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task DotnetRun_UsesTheKeysFileOfTheDirectoryItIsStartedFrom()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys": [{"name": "started-here", "key": "sk-run-from-source-0123456789"}]}""");
        var projectFolderKeys = RepositoryLayout.PathOf("Gateway.Server", "keys.json");
        var existedBefore = File.Exists(projectFolderKeys);

        // Exactly the README's command with a read-only subcommand; --no-build uses what the test run already built.
        var result = await CommandRunner.RunAsync(DotnetCli.HostPath,
            ["run", "--no-build", "-c", DotnetCli.Configuration, "--project", RepositoryLayout.PathOf("Gateway.Server"), "--", "keys", "list"],
            directory.Path, s_timeout, DotnetCli.SdkEnvironment());

        Assert.True(result.ExitCode == 0, $"dotnet run failed (exit {result.ExitCode}):\n{result.Tail()}");
        Assert.Contains("started-here", result.Output, StringComparison.Ordinal);
        Assert.Equal(existedBefore, File.Exists(projectFolderKeys));
    }

    [Theory]
    [InlineData("keys.json")]
    [InlineData("Gateway.Server/keys.json")]
    [InlineData("Gateway.Functions/keys.json")]
    [InlineData(".keys.json.4242.0123456789abcdef0123456789abcdef.tmp")]
    [InlineData("Gateway.Server/.keys.json.4242.0123456789abcdef0123456789abcdef.tmp")]
    public async Task KeysFiles_AreIgnoredByGit(string path)
    {
        // --no-index: judge the path by the ignore rules alone, whether or not a file is there or tracked.
        var result = await Git("check-ignore", "--no-index", "--quiet", path);

        Assert.True(result.ExitCode == 0, $"git does not ignore {path} (exit {result.ExitCode}): {result.Output}");
    }

    [Fact]
    public async Task OnlyTheTopLevelKeysFileIsTracked_AndItHoldsNoKeys()
    {
        var result = await Git("ls-files", "--", "keys.json", "*/keys.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("keys.json", result.Output.Trim());
        var committed = await Git("show", "HEAD:keys.json");
        Assert.Equal(0, committed.ExitCode);
        Assert.Empty(System.Text.Json.JsonDocument.Parse(committed.Output).RootElement.GetProperty("keys").EnumerateArray());
    }

    private static Task<CommandResult> Git(params string[] arguments) =>
        CommandRunner.RunAsync("git", arguments, RepositoryLayout.Root, TimeSpan.FromSeconds(30));
}
