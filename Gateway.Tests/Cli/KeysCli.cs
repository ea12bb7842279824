using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>
/// Runs <c>keys</c> commands through the testable overload: a temporary directory as the content root,
/// a fixed clock, and the output and error text captured.
/// </summary>
internal sealed partial class KeysCli : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TempDirectory Directory { get; } = new();

    public FakeTimeProvider Time { get; } = new(Now);

    public string KeysFile => Directory.PathOf("keys.json");

    public KeysResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = KeysCommand.Run(args, output, error, Time, Directory.Path);
        return new KeysResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command on <see cref="KeysFile"/>, named with --file.</summary>
    public KeysResult RunOnFile(params string[] args) => Run([.. args, "--file", KeysFile]);

    public void Write(string json) => File.WriteAllText(KeysFile, json);

    public ApiKeySet Parse() => KeyFileParser.Parse(File.ReadAllBytes(KeysFile), KeysFile);

    public JsonArray Entries() => (JsonArray)JsonNode.Parse(File.ReadAllText(KeysFile))!["keys"]!;

    public static string KeyIn(string output)
    {
        var matches = GeneratedKey().Matches(output);
        Assert.Single(matches);
        return matches[0].Value;
    }

    public void Dispose() => Directory.Dispose();

    [GeneratedRegex("sk-ogw-[0-9A-Za-z]{43}")]
    private static partial Regex GeneratedKey();
}
