using System.Net;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Cli;

/// <summary>The commands against a running gateway, which re-reads its keys file every second.</summary>
public sealed class KeysEndToEndTests
{
    [Fact]
    public async Task CreatedKey_IsAccepted_ThenRevoked_WhileOtherKeysKeepWorking()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var cli = new KeysCli();

        var created = cli.Run("create", "--name", "e2e", "--file", host.KeysFile);
        Assert.Equal(0, created.ExitCode);
        using var client = host.CreateClient(KeysCli.KeyIn(created.Output));
        Assert.True(await EventuallyAsync(client, HttpStatusCode.OK), "the created key was not accepted within 5 s");

        var revoked = cli.Run("revoke", "e2e", "--file", host.KeysFile);
        Assert.Equal(0, revoked.ExitCode);
        Assert.True(await EventuallyAsync(client, HttpStatusCode.Unauthorized), "the revoked key was still accepted after 5 s");

        using var first = host.CreateClient(GatewayTestHost.Key);
        using var second = host.CreateClient(GatewayTestHost.SecondKey);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("api/version")).StatusCode);
    }

    [Fact]
    public async Task HashedFile_KeepsAcceptingTheSameKeys()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var cli = new KeysCli();

        Assert.Equal(0, cli.Run("hash", "--file", host.KeysFile).ExitCode);
        Assert.DoesNotContain(GatewayTestHost.Key, File.ReadAllText(host.KeysFile), StringComparison.Ordinal);

        // Let the gateway load the rewritten file, then both keys must still work.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var first = host.CreateClient(GatewayTestHost.Key);
        using var second = host.CreateClient(GatewayTestHost.SecondKey);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("api/version")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("api/version")).StatusCode);
    }

    private static async Task<bool> EventuallyAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if ((await client.GetAsync("api/version")).StatusCode == expected)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
