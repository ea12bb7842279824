using System.Net;
using System.Net.Sockets;
using System.Text;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// Whom a limit applies to, on the real server: failed authentication is counted per client address (another address
/// keeps its own allowance, and a forwarding header does not make a new one), and limits changed in the keys file
/// apply to the next request once the file is reloaded, tightened or loosened.
/// </summary>
public sealed class LimitScopeTests
{
    [Fact]
    public async Task FailedAuthentication_IsCountedPerClientAddress()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:FailedAuthPerMinute=1");
        using var first = ClientFrom(host, IPAddress.Parse("127.0.0.1"), "sk-guess");
        using var second = ClientFrom(host, IPAddress.Parse("127.0.0.2"), "sk-guess");

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.GetAsync("api/version")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await second.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task ForwardingHeaders_DoNotGiveAGuesserANewAllowance()
    {
        await using var host = await GatewayTestHost.StartAsync(extraArgs: "--Gateway:FailedAuthPerMinute=1");
        using var client = host.CreateClient("sk-guess");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/version")).StatusCode);
        foreach (var header in new[] { "X-Forwarded-For", "X-Real-IP", "Forwarded" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/version");
            request.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? "for=192.0.2.7" : "192.0.2.7");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }
    }

    [Fact]
    public async Task LoosenedLimit_AppliesOnceTheFileIsReloaded()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": [{"name": "slow", "key": "sk-slow-0123456789", "limits": {"requestsPerMinute": 1}}]}""");
        using var slow = host.CreateClient("sk-slow-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await slow.GetAsync("api/version")).StatusCode);

        File.WriteAllText(host.KeysFile, """{"keys": [{"name": "slow", "key": "sk-slow-0123456789", "limits": {"requestsPerMinute": 3}}, "sk-marker-0123456789"]}""");
        await WaitForReloadAsync(host);

        Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task TightenedLimit_AppliesOnceTheFileIsReloaded()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": [{"name": "busy", "key": "sk-busy-0123456789"}]}""");
        using var busy = host.CreateClient("sk-busy-0123456789");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("api/version")).StatusCode);
        }

        File.WriteAllText(host.KeysFile, """{"keys": [{"name": "busy", "key": "sk-busy-0123456789", "limits": {"requestsPerMinute": 1}}, "sk-marker-0123456789"]}""");
        await WaitForReloadAsync(host);

        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("api/version")).StatusCode);
        using var refused = await busy.GetAsync("api/version");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task ChangedConcurrencyLimit_AppliesOnceTheFileIsReloaded()
    {
        await using var host = await GatewayTestHost.StartAsync(
            new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(100), ChunkCount = 50 },
            """{"keys": [{"name": "one", "key": "sk-one-0123456789", "limits": {"requestsPerMinute": 100}}]}""");
        using var client = host.CreateClient("sk-one-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/version")).StatusCode);

        File.WriteAllText(host.KeysFile, """{"keys": [{"name": "one", "key": "sk-one-0123456789", "limits": {"requestsPerMinute": 100, "concurrentRequests": 1}}, "sk-marker-0123456789"]}""");
        await WaitForReloadAsync(host);

        // A stream holds the one slot until it ends.
        using var stream = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead);
        using var refused = await client.GetAsync("api/version");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    // The reload is seen when a key that only the new file holds is accepted; bounded, never a fixed sleep.
    private static async Task WaitForReloadAsync(GatewayTestHost host)
    {
        using var marker = host.CreateClient("sk-marker-0123456789");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await marker.GetAsync("api/version")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The changed keys file was not loaded within 10 seconds.");
            await Task.Delay(50);
        }
    }

    // A client whose connections come from the given loopback address (all of 127.0.0.0/8 is loopback on Linux).
    private static HttpClient ClientFrom(GatewayTestHost host, IPAddress source, string key)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }
}
