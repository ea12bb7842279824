using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OllamaSharp;
using OpenAI.Models;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// <c>/api/tags</c>, <c>/api/ps</c> and <c>/v1/models</c> show the union of the servers' models, one entry per model
/// taken from the most recently modified copy, still filtered by the key's rights.
/// </summary>
public sealed class UpstreamListingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_older = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_newer = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private UpstreamsTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await UpstreamsTestHost.StartAsync(new UpstreamSpec("a", ["llama3.2:latest", "qwen3:latest"]), new UpstreamSpec("b", ["qwen3:latest", "llava:latest"]));
        _host["a"].Options.Models = [.. _host["a"].Options.Models.Select(model => model with { ModifiedAt = s_older, Size = 111 })];
        _host["b"].Options.Models = [.. _host["b"].Options.Models.Select(model => model with { ModifiedAt = s_newer, Size = 222 })];
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Tags_AreTheUnion_OneEntryPerModel_FromTheNewestCopy()
    {
        using var client = _host.CreateClient();

        using var tags = JsonDocument.Parse(await client.GetStringAsync("api/tags"));
        var models = tags.RootElement.GetProperty("models").EnumerateArray().ToArray();
        var local = await new OllamaApiClient(client).ListLocalModelsAsync();

        Assert.Equal(["llama3.2:latest", "qwen3:latest", "llava:latest"], models.Select(model => model.GetProperty("name").GetString()));
        var qwen = models.Single(model => model.GetProperty("name").GetString() == "qwen3:latest");
        Assert.Equal(222, qwen.GetProperty("size").GetInt64());
        Assert.Equal(s_newer, qwen.GetProperty("modified_at").GetDateTimeOffset());
        Assert.Equal(3, local.Count());
    }

    [Fact]
    public async Task Lists_AreFilteredByTheKeysRights()
    {
        using var limited = _host.CreateClient(UpstreamsTestHost.LlamaOnlyKey);
        _host["b"].LoadModel("qwen3");
        _host["a"].LoadModel("llama3.2");

        using var tags = JsonDocument.Parse(await limited.GetStringAsync("api/tags"));
        using var ps = JsonDocument.Parse(await limited.GetStringAsync("api/ps"));
        using var v1 = JsonDocument.Parse(await limited.GetStringAsync("v1/models"));
        using var hidden = await limited.GetAsync("v1/models/qwen3");

        Assert.Equal(["llama3.2:latest"], tags.RootElement.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("name").GetString()));
        Assert.Equal(["llama3.2:latest"], ps.RootElement.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("name").GetString()));
        Assert.Equal(["llama3.2:latest"], v1.RootElement.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Ps_IsTheUnionOfWhatIsLoaded()
    {
        _host["b"].LoadModel("qwen3");
        _host["b"].LoadModel("llava");
        _host["a"].LoadModel("qwen3");
        using var client = _host.CreateClient();

        using var ps = JsonDocument.Parse(await client.GetStringAsync("api/ps"));

        Assert.Equal(["llava:latest", "qwen3:latest"], ps.RootElement.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("name").GetString()!).Order());
    }

    [Fact]
    public async Task OpenAIModels_ListAndRetrieveAcrossServers()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(UpstreamsTestHost.Key), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) });

        OpenAIModelCollection models = await client.GetModelsAsync();
        OpenAIModel llava = await client.GetModelAsync("llava");

        Assert.Equal(["llama3.2:latest", "llava:latest", "qwen3:latest"], models.Select(model => model.Id).Order());
        Assert.Equal("llava", llava.Id);
        Assert.Equal(s_newer.ToUnixTimeSeconds(), llava.CreatedAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task HeadTags_AnswersWithoutABody_AndAServerThatIsDownIsLeftOut()
    {
        using var client = _host.CreateClient();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "api/tags"));
        await _host["a"].StopAsync();

        using var tags = JsonDocument.Parse(await client.GetStringAsync("api/tags"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(["qwen3:latest", "llava:latest"], tags.RootElement.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("name").GetString()));
    }
}
