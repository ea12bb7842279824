using System.Net;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class MetricsOffTests
{
    [Fact]
    public async Task MetricsOff_MetricsEndpointIs404_AndRequestsStillServe()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": [{"name": "admin", "key": "sk-admin-0123456789", "admin": true}]}""", extraArgs: "--Gateway:Metrics:Enabled=false");
        using var client = host.CreateClient("sk-admin-0123456789");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        using var metrics = await client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Contains("Gateway:Metrics:Enabled", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
