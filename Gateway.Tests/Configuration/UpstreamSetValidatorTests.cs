using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Configuration;

/// <summary>Bad upstream settings stop start-up with one line per failure, each naming its setting.</summary>
public sealed class UpstreamSetValidatorTests
{
    [Fact]
    public void OllamaUrlAndUpstreams_BothSet_IsOneFailureNamingBoth()
    {
        var failures = Failures(new()
        {
            ["Gateway:OllamaUrl"] = "http://localhost:11434",
            ["Gateway:Upstreams:0:Name"] = "gpu-1",
            ["Gateway:Upstreams:0:Url"] = "http://gpu-1:11434",
        });

        var failure = Assert.Single(failures);
        Assert.Contains("Gateway:OllamaUrl", failure, StringComparison.Ordinal);
        Assert.Contains("Gateway:Upstreams", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void OllamaUrlsDefault_OrAnEmptyValue_DoesNotCountAsSet_AndBlankPlaceholdersAreIgnored()
    {
        Assert.Empty(Failures(new() { ["Gateway:Upstreams:0:Name"] = "a", ["Gateway:Upstreams:0:Url"] = "http://a:11434" }));
        Assert.Empty(Failures(new()
        {
            ["Gateway:OllamaUrl"] = "",
            ["Gateway:Upstreams:0:Name"] = "a",
            ["Gateway:Upstreams:0:Url"] = "http://a:11434",
        }));

        // As local.settings.sample.json holds them: present and empty, beside Gateway:OllamaUrl.
        Assert.Empty(Failures(new()
        {
            ["Gateway:OllamaUrl"] = "http://localhost:11434",
            ["Gateway:Upstreams:0:Name"] = "",
            ["Gateway:Upstreams:0:Url"] = "",
            ["Gateway:Upstreams:0:Weight"] = "",
            ["Gateway:Upstreams:0:Models:0"] = "",
        }));

        // A template's placeholder may carry a default weight: without a name or URL it is still no server.
        Assert.Empty(Failures(new()
        {
            ["Gateway:OllamaUrl"] = "http://localhost:11434",
            ["Gateway:Upstreams:0:Name"] = "",
            ["Gateway:Upstreams:0:Url"] = "",
            ["Gateway:Upstreams:0:Weight"] = "1",
        }));
    }

    [Fact]
    public void EachBadValue_IsReported_NamingItsSetting()
    {
        var failures = Failures(new()
        {
            ["Gateway:Upstreams:0:Name"] = "gpu 1",
            ["Gateway:Upstreams:0:Url"] = "gpu-1:11434",
            ["Gateway:Upstreams:1:Name"] = "B",
            ["Gateway:Upstreams:1:Url"] = "http://b:11434",
            ["Gateway:Upstreams:1:Weight"] = "0",
            ["Gateway:Upstreams:1:Models:0"] = "llama 3",
            ["Gateway:Upstreams:2:Name"] = "b",
            ["Gateway:Upstreams:2:Url"] = "http://c:11434/?x=1",
            ["Gateway:UpstreamHealth:ProbeInterval"] = "00:00:00",
            ["Gateway:UpstreamInventoryInterval"] = "-00:00:01",
        });

        Assert.Equal(8, failures.Count);
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:Upstreams:0:Name", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:Upstreams:0:Url", StringComparison.Ordinal) && failure.Contains("gpu-1:11434", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:Upstreams:1:Weight", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:Upstreams:1:Models:0", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:Upstreams:2:Name", StringComparison.Ordinal) && failure.Contains("two upstreams", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:Upstreams:2:Url", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:UpstreamHealth:ProbeInterval", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Gateway:UpstreamInventoryInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BothSet_StopsTheServersStartup()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a"]}""");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = GatewayTestHost.BuildServer("http://127.0.0.1:1", directory.PathOf("keys.json"), "--Gateway:Upstreams:0:Name=a", "--Gateway:Upstreams:0:Url=http://127.0.0.1:2");
            await app.StartAsync();
        });

        Assert.Contains(error.Failures, failure => failure.Contains("Gateway:OllamaUrl and Gateway:Upstreams are both set", StringComparison.Ordinal));
    }

    private static List<string> Failures(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection("Gateway").Get<UpstreamSetOptions>() ?? new UpstreamSetOptions();
        var result = new UpstreamSetValidator(Options.Create(options), configuration).Validate(null, new GatewayOptions());
        return result.Succeeded ? [] : [.. result.Failures!];
    }
}
