using System.Text;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_LetsStreamsDrainThenCancelsThemUpstream()
    {
        await using var host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(100), ChunkCount = 1000 }, extraArgs: "--Gateway:ShutdownDrainPeriod=00:00:01");
        using var client = host.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead);
        var upstream = Assert.Single(host.Emulator.Requests);

        var stopping = host.App.StopAsync();

        // During the drain period the stream keeps flowing.
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.ReadLineAsync());
        Assert.False(upstream.Aborted.IsCompleted);

        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(upstream.WasAborted);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync("api/version"));
    }
}
