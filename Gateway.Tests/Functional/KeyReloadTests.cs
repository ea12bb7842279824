using System.Net;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class KeyReloadTests
{
    [Fact]
    public async Task EditedKeysFile_TakesEffectWithoutRestart()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var newClient = host.CreateClient("sk-added-later-123");
        using var oldClient = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await newClient.GetAsync("api/version")).StatusCode);

        File.WriteAllText(host.KeysFile, """{"keys": ["sk-added-later-123"]}""");

        Assert.True(await EventuallyAsync(async () => (await newClient.GetAsync("api/version")).StatusCode == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task BrokenReplacement_KeepsTheLastGoodKeys()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.CreateClient();
        using var intruder = host.CreateClient("s");

        File.WriteAllText(host.KeysFile, """{"keys": "sk-anything"}""");
        // Give the store time to see the change, then prove nothing opened up and nothing closed.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await intruder.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task KeyRemovedWhileItsStreamRuns_StreamFinishesAndNewRequestsAreRefused()
    {
        await using var host = await GatewayTestHost.StartAsync(new OllamaGateway.Emulator.EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(100), ChunkCount = 30 });
        using var client = host.CreateClient();
        using var stream = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead);

        File.WriteAllText(host.KeysFile, $$"""{"keys": [{"name": "second", "key": "{{GatewayTestHost.SecondKey}}"}]}""");
        Assert.True(await EventuallyAsync(async () => (await client.GetAsync("api/version")).StatusCode == HttpStatusCode.Unauthorized));

        var body = await stream.Content.ReadAsStringAsync();
        Assert.Contains("\"done\":true", body);
        Assert.False(Assert.Single(host.Emulator.Requests, r => r.Path == "/api/chat").WasAborted);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        // Reload is promised within 2 seconds; allow slack for a loaded CI machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
