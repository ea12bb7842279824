using OllamaGateway.Tests.Common;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace OllamaGateway.Tests.Functional;

/// <summary>OllamaSharp, pointed at the gateway with a key, works as it does against Ollama itself.</summary>
public sealed class OllamaSharpTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListModels_ReturnsOllamasModels()
    {
        using var http = _host.CreateClient();
        var ollama = new OllamaApiClient(http, "llama3.2");

        var models = (await ollama.ListLocalModelsAsync()).ToList();

        Assert.Contains(models, m => m.Name == "llama3.2:latest");
        Assert.Equal(_host.Emulator.Options.Models.Count, models.Count);
    }

    [Fact]
    public async Task StreamingChat_ArrivesInPiecesWithRealCounts()
    {
        using var http = _host.CreateClient();
        var ollama = new OllamaApiClient(http, "llama3.2");
        var request = new ChatRequest { Model = "llama3.2", Messages = [new Message(ChatRole.User, "Say hello please")], Stream = true };

        var pieces = new List<ChatResponseStream?>();
        await foreach (var piece in ollama.ChatAsync(request))
        {
            pieces.Add(piece);
        }

        var done = Assert.IsType<ChatDoneResponseStream>(pieces[^1]);
        Assert.True(pieces.Count > 2);
        Assert.Equal(_host.Emulator.Options.Reply, string.Concat(pieces.Select(p => p?.Message?.Content)));
        Assert.True(done.EvalCount > 0);
        Assert.True(done.PromptEvalCount > 0);
        Assert.Equal("stop", done.DoneReason);
        var seen = Assert.Single(_host.Emulator.Requests);
        Assert.Equal("/api/chat", seen.Path);
        Assert.False(seen.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Embed_PassesThrough()
    {
        using var http = _host.CreateClient();
        var ollama = new OllamaApiClient(http, "nomic-embed-text");

        var result = await ollama.EmbedAsync(new EmbedRequest { Model = "nomic-embed-text", Input = ["one", "two"] });

        Assert.Equal(2, result.Embeddings.Count);
        Assert.Equal(_host.Emulator.Options.EmbeddingDimensions, result.Embeddings[0].Length);
    }
}
