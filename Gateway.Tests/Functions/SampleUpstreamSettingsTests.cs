using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OllamaGateway.Emulator;
using OllamaGateway.Forwarding;
using OllamaGateway.Functions;
using OllamaGateway.Tests.Common;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// <c>local.settings.sample.json</c> names every upstream setting, and its empty <c>Gateway__Upstreams__0__*</c>
/// placeholders beside <c>Gateway__OllamaUrl</c> start the worker with the one server, as a copied sample must.
/// </summary>
public sealed class SampleUpstreamSettingsTests
{
    private static readonly JsonElement s_values =
        JsonDocument.Parse(File.ReadAllText(RepositoryLayout.PathOf("local.settings.sample.json"))).RootElement.GetProperty("Values");

    [Theory]
    [InlineData("Gateway__Upstreams__0__Name")]
    [InlineData("Gateway__Upstreams__0__Url")]
    [InlineData("Gateway__Upstreams__0__Weight")]
    [InlineData("Gateway__Upstreams__0__Models__0")]
    [InlineData("Gateway__UpstreamHealth__ProbeInterval")]
    [InlineData("Gateway__UpstreamHealth__ProbeTimeout")]
    [InlineData("Gateway__UpstreamHealth__ReactivationPeriod")]
    [InlineData("Gateway__UpstreamInventoryInterval")]
    public void Sample_NamesEveryUpstreamSetting(string setting) => Assert.True(s_values.TryGetProperty(setting, out _), $"{setting} is missing");

    [Fact]
    public async Task SampleWithItsPlaceholders_StartsTheWorkerWithOneServer()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys": ["{{GatewayTestHost.Key}}"]}""");
        var settings = s_values.EnumerateObject()
            .Where(value => value.Name.StartsWith("Gateway__", StringComparison.Ordinal))
            .ToDictionary(value => value.Name.Replace("__", ":", StringComparison.Ordinal), value => (string?)value.Value.GetString());
        settings["Gateway:OllamaUrl"] = emulator.BaseAddress.ToString();
        settings["Gateway:KeysFile"] = directory.PathOf("keys.json");

        await using var functions = await FunctionsHarness.StartAsync(settings);
        var context = FunctionsHarness.CreateContext("GET", "/api/version", GatewayTestHost.Key);
        await new OllamaPassthrough(functions.Pipeline).Run(context.Request, CancellationToken.None);

        Assert.Equal((int)HttpStatusCode.OK, context.Response.StatusCode);
        Assert.Equal(OllamaUpstream.DefaultName, Assert.Single(functions.Services.GetRequiredService<UpstreamSet>().All).Name);
    }
}
