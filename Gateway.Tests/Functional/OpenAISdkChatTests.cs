using System.ClientModel;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OpenAI;
using OpenAI.Chat;

// Seed is marked experimental in the SDK; clients use it, so the gateway must honour it.
#pragma warning disable OPENAI001

namespace OllamaGateway.Tests.Functional;

/// <summary>The official OpenAI .NET SDK, pointed at the gateway, cannot tell it from OpenAI.</summary>
public sealed class OpenAISdkChatTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(new EmulatorOptions { TokenDelay = TimeSpan.FromMilliseconds(2) });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ChatClient Client(string model = "llama3.2", string key = GatewayTestHost.Key) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    [Fact]
    public async Task Chat_ReturnsTheReplyWithRealUsage()
    {
        ChatCompletion completion = await Client().CompleteChatAsync(
            [new SystemChatMessage("You are terse."), new UserChatMessage("Say hello")],
            new ChatCompletionOptions { Temperature = 0.2f, MaxOutputTokenCount = 50, Seed = 42 });

        Assert.Equal(_host.Emulator.Options.Reply, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal("llama3.2", completion.Model);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);

        var sent = JsonDocument.Parse(Assert.Single(_host.Emulator.Requests).Body).RootElement;
        Assert.Equal("/api/chat", _host.Emulator.Requests[0].Path);
        Assert.False(sent.GetProperty("stream").GetBoolean());
        Assert.Equal(50, sent.GetProperty("options").GetProperty("num_predict").GetInt32());
        Assert.Equal(42, sent.GetProperty("options").GetProperty("seed").GetInt32());
        Assert.Equal("system", sent.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.False(_host.Emulator.Requests[0].Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task ChatWithoutSamplingParameters_InjectsNoDefaults()
    {
        await Client().CompleteChatAsync([new UserChatMessage("Say hello")]);

        var sent = JsonDocument.Parse(Assert.Single(_host.Emulator.Requests).Body).RootElement;
        Assert.False(sent.TryGetProperty("options", out var options) && options.TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task LengthLimit_IsReportedAsLength()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Say hello")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(2, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task StreamingChat_ArrivesInPiecesWithUsage()
    {
        var text = new StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        string? id = null;

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            updates++;
            id ??= update.CompletionId;
            Assert.Equal(id, update.CompletionId);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(_host.Emulator.Options.Reply, text.ToString());
        Assert.True(updates > 3);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.True(JsonDocument.Parse(Assert.Single(_host.Emulator.Requests).Body).RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task UnknownModel_RaisesA404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task WrongKey_RaisesA401()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(key: "sk-wrong").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task Logprobs_ReturnOneEntryPerTokenWithTheAskedAlternatives()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2 };

        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Say hello")], options);

        var sent = JsonDocument.Parse(Assert.Single(_host.Emulator.Requests).Body).RootElement;
        Assert.True(sent.GetProperty("logprobs").GetBoolean());
        Assert.Equal(2, sent.GetProperty("top_logprobs").GetInt32());

        IReadOnlyList<ChatTokenLogProbabilityDetails> tokens = completion.ContentTokenLogProbabilities;
        Assert.Equal(_host.Emulator.Options.Reply, string.Concat(tokens.Select(t => t.Token)));
        Assert.Equal(completion.Usage.OutputTokenCount, tokens.Count);
        Assert.All(tokens, t =>
        {
            Assert.True(t.LogProbability <= 0);
            Assert.Equal(t.Token, Encoding.UTF8.GetString(t.Utf8Bytes!.Value.ToArray()));
            Assert.Equal(2, t.TopLogProbabilities.Count);
            Assert.Equal(t.Token, t.TopLogProbabilities[0].Token);
            Assert.True(t.TopLogProbabilities[1].LogProbability < t.TopLogProbabilities[0].LogProbability);
        });
    }

    [Fact]
    public async Task StreamedLogprobs_MatchTheNonStreamedOnes()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2 };
        ChatCompletion whole = await Client().CompleteChatAsync([new UserChatMessage("Say hello")], options);

        var streamed = new List<ChatTokenLogProbabilityDetails>();
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Say hello")], options))
        {
            streamed.AddRange(update.ContentTokenLogProbabilities);
        }

        Assert.NotEmpty(streamed);
        Assert.Equal(
            whole.ContentTokenLogProbabilities.Select(t => (t.Token, t.LogProbability, t.TopLogProbabilities.Count)),
            streamed.Select(t => (t.Token, t.LogProbability, t.TopLogProbabilities.Count)));
    }

    [Fact]
    public async Task NoLogprobsAsked_NoneReturnedOrRequested()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.Empty(completion.ContentTokenLogProbabilities);
        var sent = JsonDocument.Parse(Assert.Single(_host.Emulator.Requests).Body).RootElement;
        Assert.False(sent.TryGetProperty("logprobs", out _));
    }

    [Fact]
    public async Task UnsupportedParameter_RaisesA400NamingIt()
    {
        // logit_bias: the SDK sends it, and Ollama has no per-token bias to map it to.
        var options = new ChatCompletionOptions();
        options.LogitBiases.Add(50256, -100);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], options));

        Assert.Equal(400, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("logit_bias", body.GetProperty("param").GetString());
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task OllamaUnreachable_RaisesA502()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys":["{{GatewayTestHost.Key}}"]}""");
        await using var app = GatewayTestHost.BuildServer("http://127.0.0.1:1", directory.PathOf("keys.json"));
        await app.StartAsync();
        var client = new ChatClient("llama3.2", new ApiKeyCredential(GatewayTestHost.Key), new OpenAIClientOptions { Endpoint = new Uri(new Uri(app.Urls.First()), "v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, error.Status);
        await app.StopAsync();
    }

    [Fact]
    public async Task ForbiddenModelAndRateLimit_RaiseA403AndA429()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: """{"keys": [{"name": "narrow", "key": "sk-narrow-0123456789", "models": ["llama3.2"], "limits": {"requestsPerMinute": 2}}]}""");
        ChatClient For(string model) => new(model, new ApiKeyCredential("sk-narrow-0123456789"), new OpenAIClientOptions { Endpoint = new Uri(host.BaseAddress, "v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var forbidden = await Assert.ThrowsAsync<ClientResultException>(() => For("qwen3").CompleteChatAsync([new UserChatMessage("hi")]));
        await For("llama3.2").CompleteChatAsync([new UserChatMessage("hi")]);
        var limited = await Assert.ThrowsAsync<ClientResultException>(() => For("llama3.2").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(403, forbidden.Status);
        Assert.Equal(429, limited.Status);
        Assert.True(limited.GetRawResponse()!.Headers.TryGetValue("Retry-After", out _));
    }
}
