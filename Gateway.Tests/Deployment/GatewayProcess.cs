using System.Diagnostics;
using System.Text;

namespace OllamaGateway.Tests.Deployment;

/// <summary>
/// The published gateway running as its own process, as a service manager runs it: started with arguments in a
/// working directory, its console output captured, stopped with SIGTERM (what systemd's KillSignal sends).
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "Now listening on: ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static GatewayProcess Start(string executable, string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Production defaults, whatever the test runner's environment says.
        startInfo.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        startInfo.Environment.Remove("DOTNET_ENVIRONMENT");
        startInfo.Environment.Remove("ASPNETCORE_URLS");

        var gateway = new GatewayProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        gateway._process.OutputDataReceived += (_, e) => gateway.OnLine(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => gateway.OnLine(e.Data);
        gateway._process.Exited += (_, _) => gateway._listening.TrySetException(
            new InvalidOperationException($"The gateway exited before listening:\n{gateway.Output}"));
        gateway._process.Start();
        gateway._process.StandardInput.Close();
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>The address Kestrel reports as bound (the console logger's "Now listening on:" line).</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        try
        {
            return await _listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The gateway did not report a listening address within {timeout}:\n{Output}");
        }
    }

    /// <summary>Sends SIGTERM (a plain kill on Windows) and waits for the process to end; returns whether it did.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        if (OperatingSystem.IsWindows())
        {
            _process.Kill();
        }
        else
        {
            var kill = await CommandRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Path.GetTempPath(), TimeSpan.FromSeconds(10));
            Assert.True(kill.ExitCode == 0, $"kill -TERM failed: {kill.Output}");
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process at once (SIGKILL): a crash, with no shutdown code run.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        // The simple formatter ends the line with the address; the JSON one closes the message's string after it.
        var at = line.IndexOf(ListeningPrefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        var rest = line[(at + ListeningPrefix.Length)..];
        var end = rest.IndexOf('"', StringComparison.Ordinal);
        if (Uri.TryCreate((end < 0 ? rest : rest[..end]).Trim(), UriKind.Absolute, out var address))
        {
            _listening.TrySetResult(address);
        }
    }
}
