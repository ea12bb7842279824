using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) on a free 127.0.0.1 port, scraping the gateway every second
/// with bearer tokens read from files, as an operator configures it, its storage in a temporary folder.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, StringBuilder output, Uri address)
    {
        _process = process;
        _output = output;
        _client = new HttpClient { BaseAddress = address, Timeout = s_timeout };
    }

    /// <summary>Everything the server logged, for failure messages.</summary>
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

    /// <summary>Starts Prometheus with one scrape job per entry of <paramref name="jobs"/> (job name, bearer token) against <paramref name="target"/>; returns once it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target, TempDirectory directory, params (string Job, string Token)[] jobs)
    {
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        foreach (var (job, token) in jobs)
        {
            var tokenFile = directory.PathOf(job + ".token");
            File.WriteAllText(tokenFile, token);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            config.Append(CultureInfo.InvariantCulture, $"""
                  - job_name: {job}
                    metrics_path: /metrics
                    authorization:
                      type: Bearer
                      credentials_file: {tokenFile}
                    static_configs:
                      - targets: ['{target.Authority}']

                """);
        }

        File.WriteAllText(directory.PathOf("prometheus.yml"), config.ToString());
        var port = FreePort();
        var startInfo = new ProcessStartInfo(Promtool.Find("prometheus"))
        {
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            $"--config.file={directory.PathOf("prometheus.yml")}",
            $"--storage.tsdb.path={directory.PathOf("data")}",
            $"--web.listen-address=127.0.0.1:{port}"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, output, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Runs an instant query until <paramref name="ready"/> accepts its samples (label set and value each); returns
    /// them. Prometheus scrapes once a second, so a series appears within a few seconds of existing.
    /// </summary>
    public async Task<IReadOnlyList<(JsonElement Labels, double Value)>> WaitForQueryAsync(string query, Func<IReadOnlyList<(JsonElement Labels, double Value)>, bool> ready)
    {
        using var deadline = new CancellationTokenSource(s_timeout);
        IReadOnlyList<(JsonElement, double)> samples = [];
        while (true)
        {
            samples = await QueryAsync(query);
            if (ready(samples))
            {
                return samples;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Prometheus never answered '{query}' as expected; last answer: [{string.Join(", ", samples.Select(s => $"{s.Item1} {s.Item2}"))}]\n{Output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task<IReadOnlyList<(JsonElement Labels, double Value)>> QueryAsync(string query)
    {
        using var response = await _client.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Prometheus answered {(int)response.StatusCode} to '{query}': {body}");
        var result = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result");
        return [.. result.EnumerateArray().Select(sample => (
            sample.GetProperty("metric").Clone(),
            double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    private async Task WaitUntilReadyAsync()
    {
        using var deadline = new CancellationTokenSource(s_timeout);
        while (true)
        {
            Assert.False(_process.HasExited, $"Prometheus exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                using var response = await _client.GetAsync("-/ready", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Prometheus did not become ready within {s_timeout}:\n{Output}");
            }
        }
    }

    // A port the system just handed out and released: Prometheus cannot be asked to pick one and say which.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
