using System.ClientModel;
using System.Text;
using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OpenAI.Responses;

// The Responses client is marked experimental in the SDK; Codex and the SDKs' users call it, so the gateway serves it.
#pragma warning disable OPENAI001

namespace OllamaGateway.Tests.Functional;

/// <summary>The OpenAI .NET SDK's Responses client, pointed at the gateway, works as against OpenAI.</summary>
public sealed class OpenAISdkResponsesTests : IAsyncLifetime
{
    private static readonly BinaryData WeatherParameters = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(new EmulatorOptions());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ResponsesClient Client() => new(
        new ApiKeyCredential(GatewayTestHost.Key),
        new ResponsesClientOptions { Endpoint = new Uri(_host.BaseAddress, "v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    private static CreateResponseOptions Ask(string text, string model = "llama3.2") =>
        new(model, [ResponseItem.CreateUserMessageItem(text)]);

    private static CreateResponseOptions Streamed(CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        return options;
    }

    private JsonElement SentBody(int index = 0) => JsonDocument.Parse(_host.Emulator.Requests[index].Body).RootElement;

    private static string OutputText(ResponseResult response) => string.Concat(
        response.OutputItems.OfType<MessageResponseItem>().SelectMany(m => m.Content).Select(c => c.Text));

    [Fact]
    public async Task Text_ReturnsTheReplyWithUsage()
    {
        var options = Ask("Say hello");
        options.Instructions = "You are terse.";
        options.MaxOutputTokenCount = 50;
        options.Temperature = 0.2f;
        options.StoredOutputEnabled = true;
        ResponseResult response = await Client().CreateResponseAsync(options);

        Assert.StartsWith("resp_", response.Id);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(_host.Emulator.Options.Reply, OutputText(response));
        Assert.Equal(4, response.Usage.OutputTokenCount);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);

        var sent = SentBody();
        Assert.False(sent.GetProperty("stream").GetBoolean());
        Assert.Equal(50, sent.GetProperty("options").GetProperty("num_predict").GetInt32());
        Assert.Equal("system", sent.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("You are terse.", sent.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Streamed_EventsArriveInOrderWithSequenceNumbers()
    {
        var kinds = new List<StreamingResponseUpdateKind>();
        var sequence = new List<int>();
        var text = new StringBuilder();
        ResponseResult? completed = null;
        await foreach (StreamingResponseUpdate update in await Client().CreateResponseStreamingAsync(Streamed(Ask("Say hello"))))
        {
            kinds.Add(update.Kind);
            sequence.Add(update.SequenceNumber);
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }

            if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.Equal(
            [StreamingResponseUpdateKind.ResponseCreated, StreamingResponseUpdateKind.ResponseInProgress, StreamingResponseUpdateKind.ResponseOutputItemAdded, StreamingResponseUpdateKind.ResponseContentPartAdded],
            kinds[..4]);
        Assert.Equal(
            [StreamingResponseUpdateKind.ResponseOutputTextDone, StreamingResponseUpdateKind.ResponseContentPartDone, StreamingResponseUpdateKind.ResponseOutputItemDone, StreamingResponseUpdateKind.ResponseCompleted],
            kinds[^4..]);
        Assert.Equal(_host.Emulator.Options.Reply, text.ToString());
        Assert.NotNull(completed);
        Assert.Equal(_host.Emulator.Options.Reply, OutputText(completed));
        Assert.Equal(4, completed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task FunctionCall_RoundTrip()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""" };
        var options = Ask("What is the weather in Paris?");
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: true, "Weather for a city"));
        ResponseResult first = await Client().CreateResponseAsync(options);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());
        Assert.StartsWith("call_", call.CallId);

        _host.Emulator.Options.ToolCallReply = null;
        var second = new CreateResponseOptions("llama3.2",
        [
            ResponseItem.CreateUserMessageItem("What is the weather in Paris?"),
            call,
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "Sunny, 24 C"),
        ]);
        second.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: true, "Weather for a city"));
        ResponseResult answer = await Client().CreateResponseAsync(second);

        Assert.Equal(_host.Emulator.Options.Reply, OutputText(answer));
        var messages = SentBody(1).GetProperty("messages");
        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        Assert.Equal(call.CallId, messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("get_weather", messages[2].GetProperty("tool_name").GetString());
        Assert.Equal("Sunny, 24 C", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public async Task StreamedFunctionCall_ArrivesAsArgumentsEvents()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""" };
        var options = Ask("weather?");
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false));
        string? arguments = null;
        FunctionCallResponseItem? done = null;
        await foreach (StreamingResponseUpdate update in await Client().CreateResponseStreamingAsync(Streamed(options)))
        {
            if (update is StreamingResponseFunctionCallArgumentsDoneUpdate argumentsDone)
            {
                arguments = argumentsDone.FunctionArguments.ToString();
            }

            if (update is StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem item })
            {
                done = item;
            }
        }

        Assert.Equal("""{"city":"Paris"}""", arguments);
        Assert.Equal("get_weather", done?.FunctionName);
    }

    [Fact]
    public async Task JsonSchema_BecomesOllamaFormat()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}""");
        var options = Ask("Answer in JSON");
        options.TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("answer", schema, jsonSchemaIsStrict: true) };
        ResponseResult response = await Client().CreateResponseAsync(options);

        Assert.Equal("string", SentBody().GetProperty("format").GetProperty("properties").GetProperty("answer").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(OutputText(response)).RootElement.GetProperty("answer").ValueKind);
    }

    [Fact]
    public async Task Reasoning_ComesBackAsASummaryBeforeTheMessage()
    {
        var options = Ask("Hi", model: "qwen3");
        options.ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.Low };
        ResponseResult response = await Client().CreateResponseAsync(options);

        var reasoning = Assert.IsType<ReasoningResponseItem>(response.OutputItems[0]);
        Assert.Equal(_host.Emulator.Options.ThinkingReply, Assert.IsType<ReasoningSummaryTextPart>(Assert.Single(reasoning.SummaryParts), exactMatch: false).Text);
        Assert.IsType<MessageResponseItem>(response.OutputItems[1], exactMatch: false);
        Assert.Equal("low", SentBody().GetProperty("think").GetString());
    }

    [Fact]
    public async Task StreamedReasoning_ArrivesAsSummaryTextDeltas()
    {
        var summary = new StringBuilder();
        var kinds = new List<StreamingResponseUpdateKind>();
        await foreach (StreamingResponseUpdate update in await Client().CreateResponseStreamingAsync(Streamed(Ask("Hi", model: "qwen3"))))
        {
            kinds.Add(update.Kind);
            if (update is StreamingResponseReasoningSummaryTextDeltaUpdate delta)
            {
                summary.Append(delta.Delta);
            }
        }

        Assert.Equal(_host.Emulator.Options.ThinkingReply, summary.ToString());
        Assert.True(kinds.IndexOf(StreamingResponseUpdateKind.ResponseReasoningSummaryPartAdded) < kinds.IndexOf(StreamingResponseUpdateKind.ResponseReasoningSummaryTextDelta));
        Assert.True(kinds.IndexOf(StreamingResponseUpdateKind.ResponseReasoningSummaryPartDone) < kinds.IndexOf(StreamingResponseUpdateKind.ResponseContentPartAdded));
    }

    [Fact]
    public async Task LengthCut_IsIncomplete()
    {
        var options = Ask("Say hello");
        options.MaxOutputTokenCount = 2;
        ResponseResult response = await Client().CreateResponseAsync(options);

        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        Assert.Equal(2, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task PreviousResponseId_IsRefusedWithAClearMessage()
    {
        var options = Ask("And then?");
        options.PreviousResponseId = "resp_123";

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("send the full conversation in 'input'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task HostedTool_IsRefusedNamingIt()
    {
        var options = Ask("Find it");
        options.Tools.Add(ResponseTool.CreateFileSearchTool(["vs_1"]));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("'file_search'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamBrokenOffByOllama_EndsWithResponseFailed()
    {
        _host.Emulator.Options.MidStreamErrorAfterLines = 2;
        var kinds = new List<StreamingResponseUpdateKind>();
        ResponseResult? failed = null;
        try
        {
            await foreach (StreamingResponseUpdate update in await Client().CreateResponseStreamingAsync(Streamed(Ask("Say hello"))))
            {
                kinds.Add(update.Kind);
                if (update is StreamingResponseFailedUpdate failure)
                {
                    failed = failure.Response;
                }
            }
        }
        catch (ClientResultException)
        {
            // The SDK may throw on the error event; what came before it is checked below.
        }

        Assert.Contains(StreamingResponseUpdateKind.ResponseOutputTextDelta, kinds);
        Assert.DoesNotContain(StreamingResponseUpdateKind.ResponseCompleted, kinds);
        if (failed is not null)
        {
            Assert.Equal(ResponseStatus.Failed, failed.Status);
            Assert.Contains("unexpected EOF", failed.Error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(StreamingResponseUpdateKind.Error, kinds);
        }
    }

    [Fact]
    public async Task MessageThenFunctionCall_AreTwoItemsAtTheirOwnIndexes()
    {
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "get_weather", ArgumentsJson = """{"city":"Paris"}""", Preamble = "I'll look that up." };
        var options = Streamed(Ask("weather?"));
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false));
        var added = new List<(int Index, Type Item)>();
        ResponseResult? completed = null;
        await foreach (StreamingResponseUpdate update in await Client().CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputItemAddedUpdate itemAdded)
            {
                added.Add((itemAdded.OutputIndex, itemAdded.Item.GetType()));
            }

            if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.Equal([0, 1], added.Select(a => a.Index));
        Assert.True(typeof(MessageResponseItem).IsAssignableFrom(added[0].Item));
        Assert.Equal(typeof(FunctionCallResponseItem), added[1].Item);
        Assert.Equal("I'll look that up.", OutputText(completed!));
        Assert.Equal("get_weather", Assert.IsType<FunctionCallResponseItem>(completed!.OutputItems[1]).FunctionName);
    }
}
