using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Configuration;
using OllamaGateway.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Tests.Forwarding;

public sealed class ModelListMergerTests : IDisposable
{
    private readonly UpstreamSet _set = new(
        Options.Create(new GatewayOptions()),
        Options.Create(new UpstreamSetOptions
        {
            Upstreams = [new() { Name = "a", Url = "http://10.0.0.1:11434" }, new() { Name = "b", Url = "http://10.0.0.2:11434", Models = ["qwen3*", "llava*"] }],
        }),
        new ForwarderHttpClientFactory(), NullLoggerFactory.Instance, new FakeTimeProvider());

    public void Dispose() => _set.Dispose();

    [Fact]
    public void Union_OneEntryPerModel_TheNewestCopy_InTheOrderFirstSeen()
    {
        var a = """{"models":[{"name":"qwen3:latest","model":"qwen3:latest","modified_at":"2026-01-01T00:00:00Z","size":1},{"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2026-01-01T00:00:00Z","size":2}]}""";
        var b = """{"models":[{"name":"Qwen3","model":"Qwen3","modified_at":"2026-03-01T10:00:00.123456789+02:00","size":3},{"name":"llava:latest","model":"llava:latest","size":4},{"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2027-01-01T00:00:00Z","size":5}]}""";

        var merged = Merge(a, b);

        // b's llama3.2 is newer but b is not used for llama3.2 (its Models globs): a's copy stays.
        Assert.Equal([("Qwen3", 3L), ("llama3.2:latest", 2L), ("llava:latest", 4L)], merged);
    }

    [Fact]
    public void EmptyAndNullLists_AreEmpty_AndAnAnswerOfAnotherShapeIsRefused()
    {
        Assert.Empty(Merge("""{"models":null}""", """{}"""));
        Assert.Throws<JsonException>(() => Merge("""{"models":{}}""", """{"models":[]}"""));
        Assert.ThrowsAny<JsonException>(() => Merge("""[1]""", """{"models":[]}"""));
    }

    [Fact]
    public void Ps_KeepsTheCopyThatStaysLoadedLongest()
    {
        var a = """{"models":[{"name":"qwen3:latest","model":"qwen3:latest","expires_at":"2026-01-01T00:10:00Z","size_vram":1}]}""";
        var b = """{"models":[{"name":"qwen3:latest","model":"qwen3:latest","expires_at":"2026-01-01T00:20:00Z","size_vram":2}]}""";

        using var merged = JsonDocument.Parse(ModelListMerger.Merge([(_set.Find("a")!, Encoding.UTF8.GetBytes(a)), (_set.Find("b")!, Encoding.UTF8.GetBytes(b))]));

        Assert.Equal(2, Assert.Single(merged.RootElement.GetProperty("models").EnumerateArray()).GetProperty("size_vram").GetInt32());
    }

    private (string, long)[] Merge(string a, string b)
    {
        using var merged = JsonDocument.Parse(ModelListMerger.Merge([(_set.Find("a")!, Encoding.UTF8.GetBytes(a)), (_set.Find("b")!, Encoding.UTF8.GetBytes(b))]));
        return [.. merged.RootElement.GetProperty("models").EnumerateArray().Select(model => (model.GetProperty("name").GetString()!, model.GetProperty("size").GetInt64()))];
    }
}
