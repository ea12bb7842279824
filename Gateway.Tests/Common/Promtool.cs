using System.Diagnostics;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// Prometheus's own tools, from Debian's <c>prometheus</c> package (<c>.ci/run</c> installs it): <c>promtool check
/// metrics</c> judges an exposition the way Prometheus's maintainers do, and <c>prometheus</c> is the real server.
/// </summary>
internal static class Promtool
{
    /// <summary>The path of <paramref name="name"/> (<c>promtool</c>, <c>prometheus</c>); fails the test with what to install when it is missing.</summary>
    public static string Find(string name)
    {
        var path = CommandRunner.FindOnPath(name) ?? (File.Exists("/usr/bin/" + name) ? "/usr/bin/" + name : null);
        if (path is null)
        {
            Assert.Fail($"'{name}' was not found on PATH. Install Debian's 'prometheus' package (apt-get install -y --no-install-recommends prometheus); .ci/run does this before the tests.");
        }

        return path!;
    }

    /// <summary>Runs <c>promtool check metrics</c> on an exposition: exit code 0 is clean, 3 lint problems, 1 invalid.</summary>
    public static async Task<CommandResult> CheckMetricsAsync(string exposition)
    {
        var startInfo = new ProcessStartInfo(Find("promtool"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("check");
        startInfo.ArgumentList.Add("metrics");
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return new CommandResult(process.ExitCode, await stdout + await stderr);
    }
}
