using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Configuration;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Tests.Forwarding;

/// <summary>The choice of a server for a request, on the set's own state (no sockets: nothing is sent).</summary>
public sealed class UpstreamSetTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private UpstreamSet? _set;

    public void Dispose() => _set?.Dispose();

    [Fact]
    public void AModel_GoesToAHealthyServerThatHasIt_NamesComparedAsOllamaDoes()
    {
        var set = Create(("a", 1, []), ("b", 1, []));
        Stock(set, "a", ["llama3.2:latest"]);
        Stock(set, "b", ["qwen3:latest", "alice/coder:7b"]);

        Assert.Equal("a", Choose(set, "Llama3.2"));
        Assert.Equal("a", Choose(set, "registry.ollama.ai/library/llama3.2:latest"));
        Assert.Equal("b", Choose(set, "qwen3"));
        Assert.Equal("b", Choose(set, "Alice/Coder:7b"));
        Assert.Equal(UpstreamChoiceKind.ModelNotFound, set.Choose(ModelName.Canonical("mistral")).Kind);
        Assert.Equal(UpstreamChoiceKind.ModelNotFound, set.Choose(ModelName.Canonical("alice/coder")).Kind);
    }

    [Fact]
    public void LoadedFirst_ThenFewestInFlightPerWeight_ThenTheHeavierServer()
    {
        var set = Create(("a", 1, []), ("b", 2, []), ("c", 1, []));
        Stock(set, "a", ["llama3.2:latest"], loaded: ["llama3.2:latest"]);
        Stock(set, "b", ["llama3.2:latest"]);
        Stock(set, "c", ["llama3.2:latest"]);
        Busy(set, "a", 5);

        Assert.Equal("a", Choose(set, "llama3.2"));

        Stock(set, "a", ["llama3.2:latest"]);
        Assert.Equal("b", Choose(set, "llama3.2"));

        // b: 1 in flight at weight 2 (0.5) against c's 0: c; then 1 each: b (0.5 < 1).
        Busy(set, "b", 1);
        Assert.Equal("c", Choose(set, "llama3.2"));
        Busy(set, "c", 1);
        Assert.Equal("b", Choose(set, "llama3.2"));
    }

    [Fact]
    public void EqualServers_TakeTurns_AndARequestWithoutAModelGoesToAnyHealthyOne()
    {
        var set = Create(("a", 1, []), ("b", 1, []));
        Stock(set, "a", ["llama3.2:latest"]);
        Stock(set, "b", ["qwen3:latest"]);

        var chosen = Enumerable.Range(0, 4).Select(_ => set.Choose(null).Upstream!.Name).ToArray();

        Assert.Equal(2, chosen.Count(name => name == "a"));
        Assert.Equal(2, chosen.Count(name => name == "b"));
    }

    [Fact]
    public void RefusedServer_IsLeftOutForTheReactivationPeriod_ThenComesBack()
    {
        var set = Create(("a", 1, []), ("b", 1, []));
        Stock(set, "a", ["llama3.2:latest"]);
        Stock(set, "b", ["qwen3:latest"]);
        var a = set.Find("A")!;

        Assert.True(a.MarkUnreachable());
        Assert.False(a.MarkUnreachable());
        Assert.Equal(UpstreamChoiceKind.Unavailable, set.Choose(ModelName.Canonical("llama3.2")).Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), set.RetryAfter(ModelName.Canonical("llama3.2")));
        Assert.Equal("b", Choose(set, "qwen3"));

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(10), set.RetryAfter(ModelName.Canonical("llama3.2")));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(a.IsHealthy);
        Assert.Equal("a", Choose(set, "llama3.2"));
    }

    [Fact]
    public void FailedProbe_TakesAServerOutUntilAProbeSucceeds()
    {
        var set = Create(("a", 1, []), ("b", 1, []));
        Stock(set, "a", ["llama3.2:latest"]);
        Stock(set, "b", ["llama3.2:latest"]);
        var a = set.Find("a")!;

        Assert.True(a.SetProbeResult(false));
        Assert.All(Enumerable.Range(0, 4), _ => Assert.Equal("b", Choose(set, "llama3.2")));
        Assert.Equal("b", set.Choose(ModelName.Canonical("llama3.2"), except: null).Upstream!.Name);
        Assert.Null(set.Choose(ModelName.Canonical("llama3.2"), except: set.Find("b")).Upstream);

        Assert.True(a.SetProbeResult(true));
        Assert.Contains("a", Enumerable.Range(0, 4).Select(_ => Choose(set, "llama3.2")));
    }

    [Fact]
    public void ModelsGlobs_KeepAServerForSomeModels()
    {
        var set = Create(("big", 1, ["qwen3:*", "llama3.3*"]), ("small", 1, []));
        Stock(set, "big", ["qwen3:235b", "llama3.2:latest", "llama3.3:70b"]);
        Stock(set, "small", ["llama3.2:latest"]);

        Assert.Equal(["registry.ollama.ai/library/llama3.3:70b", "registry.ollama.ai/library/qwen3:235b"], set.Find("big")!.Inventory.Models.Order());
        Assert.All(Enumerable.Range(0, 4), _ => Assert.Equal("small", Choose(set, "llama3.2")));
    }

    [Fact]
    public void AServerWhoseModelsWereNeverRead_IsAskedRatherThanA404Given()
    {
        var set = Create(("a", 1, []), ("b", 1, []));
        Stock(set, "a", ["llama3.2:latest"]);

        Assert.Equal("a", Choose(set, "llama3.2"));
        Assert.Equal("b", Choose(set, "qwen3"));

        set.Find("b")!.SetProbeResult(false);
        Assert.Equal(UpstreamChoiceKind.ModelNotFound, set.Choose(ModelName.Canonical("qwen3")).Kind);
    }

    [Fact]
    public void Statuses_ReportEachServer()
    {
        var set = Create(("a", 1.5, []), ("b", 1, []));
        Stock(set, "a", ["llama3.2:latest", "qwen3:latest"], loaded: ["qwen3:latest"]);
        Busy(set, "a", 2);
        set.Find("b")!.SetProbeResult(false);

        Assert.Equal(
            [new UpstreamStatus("a", true, 2, 1, 2, 1.5), new UpstreamStatus("b", false, 0, 0, 0, 1)],
            set.Statuses());
    }

    private static string Choose(UpstreamSet set, string model) => set.Choose(ModelName.Canonical(model)).Upstream?.Name ?? "(none)";

    private static void Busy(UpstreamSet set, string name, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            set.Find(name)!.Enter();
        }
    }

    private static void Stock(UpstreamSet set, string name, string[] models, string[]? loaded = null)
    {
        var upstream = set.Find(name)!;
        upstream.Inventory = UpstreamInventory.Read(List(models), List(loaded ?? []), upstream.IsUsedFor);
    }

    private static byte[] List(string[] models) =>
        Encoding.UTF8.GetBytes("{\"models\":[" + string.Join(",", models.Select(model => $$"""{"name":"{{model}}","model":"{{model}}"}""")) + "]}");

    private UpstreamSet Create(params (string Name, double Weight, string[] Globs)[] servers)
    {
        var options = new UpstreamSetOptions
        {
            Upstreams = [.. servers.Select((server, i) => new UpstreamOptions { Name = server.Name, Url = $"http://10.0.0.{i + 1}:11434", Weight = server.Weight, Models = server.Globs })],
        };
        _set = new UpstreamSet(Options.Create(new GatewayOptions()), Options.Create(options), new ForwarderHttpClientFactory(), NullLoggerFactory.Instance, _time);
        return _set;
    }
}
