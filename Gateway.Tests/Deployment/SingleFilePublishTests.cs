using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Deployment;

/// <summary>
/// The self-contained single-file build that docs/deployment.md and the systemd unit rely on: published with the
/// documented command, copied alone into an empty folder, started, used, and stopped the way systemd stops it.
/// Slow (a Release publish), yet part of the default run so CI checks it.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class SingleFilePublishTests(PublishedGateway published) : IClassFixture<PublishedGateway>
{
    private const string Key = "sk-deploy-test-0123456789abcdef";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Longer than the host's 30-second shutdown timeout, as the unit's TimeoutStopSec is.</summary>
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public void Publish_ProducesOneExecutableAndOptionalSymbols()
    {
        published.AssertPublished();
        var files = Directory.GetFiles(published.OutputDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var required = files.Where(name => !name!.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
        Assert.Equal([PublishedGateway.ExecutableName], required);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(published.ExecutablePath).HasFlag(UnixFileMode.UserExecute));
        }
    }

    [Fact]
    public async Task PublishedExecutable_ServesAuthenticatedRequestsAndStopsOnSigterm()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var directory = new TempDirectory();
        var executable = published.InstallInto(directory.PathOf("opt"));
        var keysFile = directory.PathOf("keys.json");
        File.WriteAllText(keysFile, $$"""{"keys": [{"name": "deploy-test", "hash": "sha256:{{Sha256Hex(Key)}}"}]}""");

        await using var gateway = GatewayProcess.Start(executable, Path.GetDirectoryName(executable)!,
            "serve", "--urls", "http://127.0.0.1:0",
            $"--Gateway:OllamaUrl={emulator.BaseAddress.ToString().TrimEnd('/')}",
            $"--Gateway:KeysFile={keysFile}");
        var address = await gateway.WaitUntilListeningAsync(s_startTimeout);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

        using (var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var anonymous = await client.GetAsync(new Uri("/api/version", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/version");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(emulator.Options.Version, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(emulator.Requests, recorded => recorded.Path == "/api/version");

        Assert.True(await gateway.StopAsync(s_stopTimeout), $"The gateway did not stop within {s_stopTimeout} of SIGTERM:\n{gateway.Output}");
        Assert.True(gateway.ExitCode == 0, $"Exit code {gateway.ExitCode}:\n{gateway.Output}");
        Assert.Contains("Application is shutting down", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishedExecutable_FirstRunWithoutKeys_PrintsKeyOnceAndStoresOnlyItsHash()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var directory = new TempDirectory();
        var executable = published.InstallInto(directory.PathOf("opt"));
        var workingDirectory = Path.GetDirectoryName(executable)!;

        // No Gateway:KeysFile: the default keys.json in the working directory (the content root) is created.
        await using var gateway = GatewayProcess.Start(executable, workingDirectory,
            "--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={emulator.BaseAddress.ToString().TrimEnd('/')}");
        var address = await gateway.WaitUntilListeningAsync(s_startTimeout);

        var keys = KeyPattern().Matches(gateway.Output).Select(match => match.Value).Distinct().ToList();
        var key = Assert.Single(keys);
        var keysFile = Path.Combine(workingDirectory, "keys.json");
        var stored = File.ReadAllText(keysFile);
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        Assert.Contains($"sha256:{Sha256Hex(key)}", stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keysFile));
        }

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.GetAsync(new Uri("/api/version", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.True(await gateway.StopAsync(s_stopTimeout), $"The gateway did not stop within {s_stopTimeout} of SIGTERM:\n{gateway.Output}");
        Assert.True(gateway.ExitCode == 0, $"Exit code {gateway.ExitCode}:\n{gateway.Output}");
    }

    private static string Sha256Hex(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [GeneratedRegex(@"sk-ogw-[A-Za-z0-9_\-]+")]
    private static partial Regex KeyPattern();
}
