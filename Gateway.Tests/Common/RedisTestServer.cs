using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Xunit.Abstractions;
using StackExchange.Redis;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// A real Redis-compatible server on a free loopback port, for the tests of shared state: Debian's <c>redis-server</c>
/// when it is on PATH (.ci/run installs it), otherwise Garnet (Microsoft's Redis-compatible server, from NuGet) in the
/// test process. <c>OGW_TEST_REDIS=garnet</c> forces Garnet, <c>OGW_TEST_REDIS=redis-server</c> requires redis-server.
/// It can be stopped and started again on the same port, to test an outage. Nothing is persisted.
/// </summary>
internal sealed class RedisTestServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly string? _redisServer;
    private readonly TempDirectory _directory = new();
    private Process? _process;
    private GarnetServer? _garnet;
    private ConnectionMultiplexer? _client;

    private RedisTestServer(string? redisServer, int port)
    {
        _redisServer = redisServer;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Which server runs: <c>redis-server</c> or <c>Garnet</c>.</summary>
    public string Kind => _redisServer is null ? "Garnet" : "redis-server";

    /// <summary>The StackExchange.Redis configuration string the gateway is given.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The test's own connection (for reading what the gateway wrote, and Redis's clock).</summary>
    public IDatabase Database => (_client ?? throw new InvalidOperationException("Not started.")).GetDatabase();

    public static async Task<RedisTestServer> StartAsync(ITestOutputHelper? output = null)
    {
        var forced = Environment.GetEnvironmentVariable("OGW_TEST_REDIS");
        var redisServer = string.Equals(forced, "garnet", StringComparison.OrdinalIgnoreCase) ? null : FindOnPath("redis-server");
        if (redisServer is null && string.Equals(forced, "redis-server", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("OGW_TEST_REDIS=redis-server, but redis-server is not on PATH (apt-get install redis-server).");
        }

        var server = new RedisTestServer(redisServer, FreePort());
        await server.StartAgainAsync();
        output?.WriteLine($"Redis server for this test: {server.Kind} on {server.Configuration}" + (redisServer is null ? " (in-process; redis-server not found or OGW_TEST_REDIS=garnet)" : $" ({redisServer})"));
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        if (_redisServer is not null)
        {
            var startInfo = new ProcessStartInfo(_redisServer)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = _directory.Path,
            };
            foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", _directory.Path, "--daemonize", "no" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            _process = Process.Start(startInfo)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }
        else
        {
            // Lua on, and run as transactions: without it Garnet does not run a script atomically. ACL users as Redis has
            // them (the default user needs no password), for the token sign-in tests.
            var log = new RecordingLoggerProvider();
            using var loggerFactory = new Microsoft.Extensions.Logging.LoggerFactory([log]);
            try
            {
                _garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua", "true", "--lua-transaction-mode", "true", "--auth", "Acl", "--memory", "64m", "--index", "8m"], loggerFactory);
                _garnet.Start();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException("Garnet did not start: " + string.Join("\n", log.Entries.Select(entry => entry.Message + " " + entry.Exception?.Message)), ex);
            }
        }

        using var deadline = new CancellationTokenSource(s_startTimeout);
        while (true)
        {
            try
            {
                _client ??= await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Configuration }, AbortOnConnectFail = false, ConnectTimeout = 1000, AllowAdmin = true });
                await _client.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    /// <summary>Stops the server abruptly (an outage): every connection to it breaks.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }

        _garnet?.Dispose();
        _garnet = null;
    }

    /// <summary>The server's clock (<c>TIME</c>), which the gateway's scripts use.</summary>
    public async Task<DateTimeOffset> TimeAsync()
    {
        var time = (RedisResult[])(await Database.ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds(((long)time[0] * 1000) + ((long)time[1] / 1000));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client?.Dispose();
        _directory.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
