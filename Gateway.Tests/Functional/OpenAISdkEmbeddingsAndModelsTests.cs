using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OpenAI;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace OllamaGateway.Tests.Functional;

public sealed class OpenAISdkEmbeddingsAndModelsTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(new EmulatorOptions
    {
        Models = [.. EmulatorOptions.DefaultModels, new EmulatorModel { Name = "alice/tuned:v1" }],
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) };

    [Fact]
    public async Task SdkEmbeddings_DecodeToTheSameValuesAsTheFloatFormat()
    {
        var client = new EmbeddingClient("nomic-embed-text", new ApiKeyCredential(GatewayTestHost.Key), Options);

        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0, 1], embeddings.Select(e => e.Index));
        Assert.True(embeddings.Usage.InputTokenCount > 0);
        var sdkSent = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement;
        Assert.Equal("/api/embed", _host.Emulator.Requests[^1].Path);
        Assert.Equal(2, sdkSent.GetProperty("input").GetArrayLength());

        using var http = _host.CreateClient();
        using var response = await http.PostAsync("v1/embeddings", new StringContent("""{"model":"nomic-embed-text","input":["first text","second text"],"encoding_format":"float"}""", Encoding.UTF8, "application/json"));
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        for (var i = 0; i < 2; i++)
        {
            var floats = data[i].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(floats, embeddings[i].ToFloats().ToArray());
        }
    }

    [Fact]
    public async Task SdkModels_ListsAndRetrievesOllamasModels()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(GatewayTestHost.Key), Options);

        OpenAIModelCollection models = await client.GetModelsAsync();
        OpenAIModel one = await client.GetModelAsync("alice/tuned:v1");

        Assert.Contains(models, m => m.Id == "llama3.2:latest" && m.OwnedBy == "library");
        Assert.Equal(_host.Emulator.Options.Models.Count, models.Count);
        Assert.Equal("alice/tuned:v1", one.Id);
        Assert.Equal("alice", one.OwnedBy);
        Assert.True(one.CreatedAt > DateTimeOffset.UnixEpoch);
        Assert.All(_host.Emulator.Requests, r => Assert.Equal("/api/tags", r.Path));
    }

    [Fact]
    public async Task ShortModelName_IsFoundAndEchoedAsAsked()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(GatewayTestHost.Key), Options);

        OpenAIModel model = await client.GetModelAsync("llama3.2");

        Assert.Equal("llama3.2", model.Id);
    }

    [Fact]
    public async Task UnknownModel_RaisesA404()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(GatewayTestHost.Key), Options);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("no-such-model"));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task TokenArrays_AreRefusedWithA400NamingInput()
    {
        using var http = _host.CreateClient();

        using var response = await http.PostAsync("v1/embeddings", new StringContent("""{"model":"nomic-embed-text","input":[1,2,3]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(_host.Emulator.Requests);
    }
}
