using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>The official Anthropic .NET SDK, pointed at the gateway, works as against Anthropic's API.</summary>
public sealed class AnthropicSdkTests : IAsyncLifetime
{
    // A 1x1 PNG.
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(
        new EmulatorOptions(),
        $$"""{"keys": ["{{GatewayTestHost.Key}}", {"name": "limited", "key": "{{GatewayTestHost.SecondKey}}", "models": ["qwen3*"]}]}""");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AnthropicClient Client(string key = GatewayTestHost.Key) => new()
    {
        BaseUrl = _host.BaseAddress.ToString().TrimEnd('/'),
        ApiKey = key,
        MaxRetries = 0,
    };

    private static MessageCreateParams Ask(string text, string model = "llama3.2", long maxTokens = 100) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam(text)],
    };

    private JsonElement SentBody(int index = 0) => JsonDocument.Parse(_host.Emulator.Requests[index].Body).RootElement;

    [Fact]
    public async Task Message_ReturnsTheReplyWithRealUsage()
    {
        Message message = await Client().Messages.Create(Ask("Say hello") with { System = "You are terse." });

        Assert.StartsWith("msg_", message.ID);
        Assert.Equal("llama3.2", (string)message.Model);
        Assert.True(Assert.Single(message.Content).TryPickText(out TextBlock? text));
        Assert.Equal(_host.Emulator.Options.Reply, text!.Text);
        Assert.Equal(StopReason.EndTurn, (StopReason)message.StopReason!);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.Equal(4, message.Usage.OutputTokens); // "Hello", " from", " the", " emulator."

        var sent = SentBody();
        Assert.Equal("/api/chat", _host.Emulator.Requests[0].Path);
        Assert.False(sent.GetProperty("stream").GetBoolean());
        Assert.Equal(100, sent.GetProperty("options").GetProperty("num_predict").GetInt32());
        Assert.Equal("system", sent.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("You are terse.", sent.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.False(sent.GetProperty("think").GetBoolean());
        Assert.False(_host.Emulator.Requests[0].Headers.ContainsKey("x-api-key"));
    }

    [Fact]
    public async Task StreamedMessage_ArrivesAsEventsInOrder()
    {
        var types = new List<string>();
        var text = new System.Text.StringBuilder();
        long? outputTokens = null;
        StopReason? stop = null;
        await foreach (RawMessageStreamEvent streamEvent in Client().Messages.CreateStreaming(Ask("Say hello")))
        {
            types.Add((string)streamEvent.Type);
            if (streamEvent.TryPickContentBlockDelta(out RawContentBlockDeltaEvent? delta) && delta!.Delta.TryPickText(out TextDelta? textDelta))
            {
                text.Append(textDelta!.Text);
            }

            if (streamEvent.TryPickDelta(out RawMessageDeltaEvent? messageDelta))
            {
                outputTokens = messageDelta!.Usage.OutputTokens;
                stop = (StopReason)messageDelta.Delta.StopReason!;
            }
        }

        Assert.Equal(_host.Emulator.Options.Reply, text.ToString());
        Assert.Equal("message_start", types[0]);
        Assert.Equal("content_block_start", types[1]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], types[^3..]);
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.Equal(4, outputTokens);
        Assert.True(SentBody().GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task ToolRoundTrip_ToolUseThenToolResultThenAnswer()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""" };
        var tool = new Tool
        {
            Name = "get_weather",
            Description = "Weather for a city",
            InputSchema = new InputSchema
            {
                Properties = new Dictionary<string, JsonElement> { ["city"] = JsonElement.Parse("""{"type":"string"}""") },
                Required = ["city"],
            },
        };
        var first = Ask("What is the weather in Paris?") with { Tools = [tool] };
        Message call = await Client().Messages.Create(first);

        Assert.Equal(StopReason.ToolUse, (StopReason)call.StopReason!);
        Assert.True(Assert.Single(call.Content).TryPickToolUse(out ToolUseBlock? toolUse));
        Assert.Equal("get_weather", toolUse!.Name);
        Assert.StartsWith("toolu_", toolUse.ID);
        Assert.Equal("Paris", toolUse.Input["city"].GetString());

        _host.Emulator.Options.ToolCallReply = null;
        Message answer = await Client().Messages.Create(first with
        {
            Messages =
            [
                new UserMessageParam("What is the weather in Paris?"),
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "Sunny, 24 C" } }),
            ],
        });

        Assert.Equal(StopReason.EndTurn, (StopReason)answer.StopReason!);
        var messages = SentBody(1).GetProperty("messages");
        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        Assert.Equal(toolUse.ID, messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("Paris", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetProperty("city").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("get_weather", messages[2].GetProperty("tool_name").GetString());
        Assert.Equal(toolUse.ID, messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("Sunny, 24 C", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public async Task StreamedToolUse_ArrivesAsInputJsonDelta()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""" };
        var tool = new Tool { Name = "get_weather", InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement>() } };
        string? name = null;
        var json = new System.Text.StringBuilder();
        StopReason? stop = null;
        await foreach (RawMessageStreamEvent streamEvent in Client().Messages.CreateStreaming(Ask("weather?") with { Tools = [tool] }))
        {
            if (streamEvent.TryPickContentBlockStart(out RawContentBlockStartEvent? start) && start!.ContentBlock.TryPickToolUse(out ToolUseBlock? block))
            {
                name = block!.Name;
            }

            if (streamEvent.TryPickContentBlockDelta(out RawContentBlockDeltaEvent? delta) && delta!.Delta.TryPickInputJson(out InputJsonDelta? input))
            {
                json.Append(input!.PartialJson);
            }

            if (streamEvent.TryPickDelta(out RawMessageDeltaEvent? messageDelta))
            {
                stop = (StopReason)messageDelta!.Delta.StopReason!;
            }
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("Paris", JsonDocument.Parse(json.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal(StopReason.ToolUse, stop);
    }

    [Fact]
    public async Task Image_ReachesOllamaAsBareBase64()
    {
        var image = new ImageBlockParam(new Base64ImageSource { Data = Png, MediaType = MediaType.ImagePng });
        Message message = await Client().Messages.Create(Ask("Describe", model: "llava") with
        {
            Messages = [new UserMessageParam(new List<ContentBlockParam> { image, new TextBlockParam("Describe this image") })],
        });

        Assert.Equal(StopReason.EndTurn, (StopReason)message.StopReason!);
        var user = SentBody().GetProperty("messages")[0];
        Assert.Equal(Png, user.GetProperty("images")[0].GetString());
        Assert.Equal("Describe this image", user.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Thinking_ComesBackAsAThinkingBlockBeforeTheText()
    {
        Message message = await Client().Messages.Create(Ask("Hi", model: "qwen3") with { Thinking = new ThinkingConfigEnabled(1024) });

        Assert.True(message.Content[0].TryPickThinking(out ThinkingBlock? thinking));
        Assert.Equal(_host.Emulator.Options.ThinkingReply, thinking!.Thinking);
        Assert.True(message.Content[1].TryPickText(out TextBlock? text));
        Assert.Equal(_host.Emulator.Options.Reply, text!.Text);

        // Thinking asked for: think is left to the model's default, so a model without thinking would answer, not fail.
        Assert.False(SentBody().TryGetProperty("think", out _));
    }

    [Fact]
    public async Task StreamedThinking_ArrivesAsThinkingDeltasInItsOwnBlock()
    {
        var thinking = new System.Text.StringBuilder();
        var text = new System.Text.StringBuilder();
        var starts = new List<string>();
        await foreach (RawMessageStreamEvent streamEvent in Client().Messages.CreateStreaming(Ask("Hi", model: "qwen3") with { Thinking = new ThinkingConfigAdaptive() }))
        {
            if (streamEvent.TryPickContentBlockStart(out RawContentBlockStartEvent? start))
            {
                starts.Add((string)start!.ContentBlock.Type + "@" + start.Index);
            }

            if (streamEvent.TryPickContentBlockDelta(out RawContentBlockDeltaEvent? delta))
            {
                if (delta!.Delta.TryPickThinking(out ThinkingDelta? thinkingDelta))
                {
                    thinking.Append(thinkingDelta!.Thinking);
                }
                else if (delta.Delta.TryPickText(out TextDelta? textDelta))
                {
                    text.Append(textDelta!.Text);
                }
            }
        }

        Assert.Equal(["thinking@0", "text@1"], starts);
        Assert.Equal(_host.Emulator.Options.ThinkingReply, thinking.ToString());
        Assert.Equal(_host.Emulator.Options.Reply, text.ToString());
    }

    [Fact]
    public async Task LengthCut_IsMaxTokens()
    {
        Message message = await Client().Messages.Create(Ask("Say hello", maxTokens: 2));

        Assert.Equal(StopReason.MaxTokens, (StopReason)message.StopReason!);
        Assert.Equal(2, message.Usage.OutputTokens);
    }

    [Fact]
    public async Task WrongKey_IsAnUnauthorizedException()
    {
        var error = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => Client("sk-wrong").Messages.Create(Ask("hi")));

        Assert.Equal(401, (int)error.StatusCode);
        Assert.Equal("authentication_error", (string?)error.Type);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task ForbiddenModel_IsAForbiddenException()
    {
        var error = await Assert.ThrowsAsync<AnthropicForbiddenException>(() => Client(GatewayTestHost.SecondKey).Messages.Create(Ask("hi")));

        Assert.Equal("permission_error", (string?)error.Type);
        Assert.Contains("llama3.2", error.ApiMessage, StringComparison.Ordinal);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task UnknownModel_IsANotFoundException()
    {
        var error = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Client().Messages.Create(Ask("hi", model: "nope")));

        Assert.Equal("not_found_error", (string?)error.Type);
        Assert.Contains("nope", error.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForcedToolChoice_IsABadRequestExceptionNamingIt()
    {
        var tool = new Tool { Name = "get_weather", InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement>() } };
        var error = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client().Messages.Create(Ask("hi") with { Tools = [tool], ToolChoice = new ToolChoiceAny() }));

        Assert.Equal("invalid_request_error", (string?)error.Type);
        Assert.Contains("tool_choice.type", error.ApiMessage, StringComparison.Ordinal);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task StreamBrokenOffByOllama_IsAnSseException()
    {
        _host.Emulator.Options.MidStreamErrorAfterLines = 2;

        var error = await Assert.ThrowsAnyAsync<AnthropicServiceException>(async () =>
        {
            await foreach (var streamEvent in Client().Messages.CreateStreaming(Ask("Say hello")))
            {
            }
        });

        Assert.Contains("unexpected EOF", error.Message + error.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokens_AnswersAnEstimateWithoutCallingOllama()
    {
        MessageTokensCount count = await Client().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "llama3.2",
            Messages = [new UserMessageParam(new string('x', 400))],
        });

        Assert.Equal(100, count.InputTokens);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task TextThenToolUse_AreTwoBlocksInOrder_StreamedAndWhole()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""", Preamble = "I'll look that up." };
        var tool = new Tool { Name = "get_weather", InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement>() } };
        var ask = Ask("weather?") with { Tools = [tool] };

        var starts = new List<string>();
        await foreach (RawMessageStreamEvent streamEvent in Client().Messages.CreateStreaming(ask))
        {
            if (streamEvent.TryPickContentBlockStart(out RawContentBlockStartEvent? start))
            {
                starts.Add((string)start!.ContentBlock.Type + "@" + start.Index);
            }
        }

        Message whole = await Client().Messages.Create(ask);

        Assert.Equal(["text@0", "tool_use@1"], starts);
        Assert.True(whole.Content[0].TryPickText(out TextBlock? text));
        Assert.Equal("I'll look that up.", text!.Text);
        Assert.True(whole.Content[1].TryPickToolUse(out ToolUseBlock? toolUse));
        Assert.Equal("Paris", toolUse!.Input["city"].GetString());
        Assert.Equal(StopReason.ToolUse, (StopReason)whole.StopReason!);
    }
}
