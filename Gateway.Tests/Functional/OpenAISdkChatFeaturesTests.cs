using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OpenAI;
using OpenAI.Chat;

namespace OllamaGateway.Tests.Functional;

/// <summary>Tools, vision and structured output through the official SDK, end to end.</summary>
public sealed class OpenAISdkChatFeaturesTests : IAsyncLifetime
{
    private static readonly ChatTool s_weather = ChatTool.CreateFunctionTool(
        "get_weather",
        "Current weather for a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ChatClient Client(string model = "llama3.2") =>
        new(model, new ApiKeyCredential(GatewayTestHost.Key), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task ToolCall_RoundTripsThroughTheSdk()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""" };
        var options = new ChatCompletionOptions { Tools = { s_weather } };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris?")];

        ChatCompletion first = await Client().CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.False(string.IsNullOrEmpty(call.Id));
        var sentTools = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement.GetProperty("tools");
        Assert.Equal("get_weather", sentTools[0].GetProperty("function").GetProperty("name").GetString());

        _host.Emulator.Options.ToolCallReply = null;
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature":21}"""));
        ChatCompletion second = await Client().CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        var sent = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement.GetProperty("messages");
        Assert.Equal("Paris", sent[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetProperty("city").GetString());
        Assert.Equal("tool", sent[2].GetProperty("role").GetString());
        Assert.Equal("get_weather", sent[2].GetProperty("tool_name").GetString());
    }

    [Fact]
    public async Task StreamedToolCall_ArrivesAsDeltasTheSdkAssembles()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Zürich"}""" };
        var options = new ChatCompletionOptions { Tools = { s_weather } };
        var name = new StringBuilder();
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Weather?")], options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name.Append(part.FunctionName);
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("get_weather", name.ToString());
        Assert.Equal("Zürich", JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task ImageDataUrl_ReachesOllamaAsBareBase64()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var message = new UserChatMessage(ChatMessageContentPart.CreateTextPart("What is this?"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"));

        ChatCompletion completion = await Client("llava").CompleteChatAsync([message]);

        Assert.Equal(_host.Emulator.Options.Reply, completion.Content[0].Text);
        var sent = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement.GetProperty("messages")[0];
        Assert.Equal("What is this?", sent.GetProperty("content").GetString());
        Assert.Equal(Convert.ToBase64String(png), sent.GetProperty("images")[0].GetString());
    }

    [Fact]
    public async Task RemoteImageUrl_IsRefusedWithoutFetching()
    {
        var message = new UserChatMessage(ChatMessageContentPart.CreateImagePart(new Uri("http://169.254.169.254/latest/meta-data")));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("llava").CompleteChatAsync([message]));

        Assert.Equal(400, error.Status);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task JsonSchema_IsSentAsOllamasFormatAndTheAnswerParses()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}""");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("reply", schema) };

        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Answer in JSON")], options);

        var format = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement.GetProperty("format");
        Assert.Equal("object", format.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(completion.Content[0].Text).RootElement.ValueKind);
    }

    [Fact]
    public async Task JsonObjectFormat_IsSentAsJson()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() };

        await Client().CompleteChatAsync([new UserChatMessage("Answer in JSON")], options);

        Assert.Equal("json", JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement.GetProperty("format").GetString());
    }
}
