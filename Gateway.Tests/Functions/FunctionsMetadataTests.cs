using System.Text.Json;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// What the Functions host will see: the functions.metadata the worker SDK generates at build time, and
/// host.json. The host cannot run here, so these files are the oracle.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string s_functionsOutput = AppContext.BaseDirectory.Replace(
        $"{Path.DirectorySeparatorChar}Gateway.Tests{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}Gateway.Functions{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static JsonElement[] Functions()
    {
        var metadata = File.ReadAllText(Path.Combine(s_functionsOutput, "functions.metadata"));
        return [.. JsonDocument.Parse(metadata).RootElement.EnumerateArray()];
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");

    [Theory]
    [InlineData("ChatCompletions", "v1/chat/completions", "post")]
    [InlineData("Completions", "v1/completions", "post")]
    [InlineData("Embeddings", "v1/embeddings", "post")]
    [InlineData("Models", "v1/models", "get")]
    [InlineData("ModelById", "v1/models/{*id}", "get")]
    [InlineData("OllamaPassthrough", "{*path}", "delete,get,head,post")]
    public void Metadata_DeclaresEachFunctionWithItsRouteAndMethods(string name, string route, string methods)
    {
        var trigger = Trigger(Functions().Single(f => f.GetProperty("name").GetString() == name));

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(methods, string.Join(",", trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Metadata_HasNoOtherFunctions()
    {
        Assert.Equal(["ChatCompletions", "Completions", "Embeddings", "ModelById", "Models", "OllamaPassthrough"], Functions().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryFunction_IsAnonymous_TheGatewayChecksKeysItself()
    {
        Assert.All(Functions(), f => Assert.Equal("Anonymous", Trigger(f).GetProperty("authLevel").GetString()));
    }

    [Fact]
    public void CatchAll_SortsAfterEveryOtherFunction_SoTheHostTriesSpecificRoutesFirst()
    {
        // The host matches routes in alphabetical order of function name; first match wins.
        var names = Functions().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var catchAll = Functions().Where(f => Trigger(f).GetProperty("route").GetString()!.StartsWith("{*", StringComparison.Ordinal)).Select(f => f.GetProperty("name").GetString()).Single();

        Assert.Equal(catchAll, names[^1]);
    }

    [Fact]
    public void NoRoute_UsesAReservedPrefix()
    {
        Assert.All(Functions(), f =>
        {
            var route = Trigger(f).GetProperty("route").GetString()!;
            Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), route);
        });
    }

    [Fact]
    public void HostJson_ServesRoutesWithoutAPrefixAndAllowsLongStreams()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_functionsOutput, "host.json"))).RootElement;

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal(string.Empty, host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.True(TimeSpan.Parse(host.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void SampleSettings_HoldEveryGatewaySetting()
    {
        var root = Path.GetFullPath(Path.Combine(s_functionsOutput, "..", "..", "..", ".."));
        var values = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json"))).RootElement.GetProperty("Values");

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        foreach (var setting in typeof(OllamaGateway.Configuration.GatewayOptions).GetProperties().Select(p => $"Gateway__{p.Name}"))
        {
            Assert.True(values.EnumerateObject().Any(value => value.Name == setting || value.Name.StartsWith(setting + "__", StringComparison.Ordinal)), $"{setting} is missing from local.settings.sample.json");
        }
    }
}
