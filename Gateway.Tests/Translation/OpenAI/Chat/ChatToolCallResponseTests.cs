using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

// OpenAIContext, the SDK's own reader for its models, is tagged as an evaluation API; these tests use it only
// to prove the official SDK reads our bytes, so an API change there breaks a test, never the gateway.
#pragma warning disable OPENAI001

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatToolCallResponseTests
{
    private const string Id = "chatcmpl-tools123";
    private const long Created = 1741000123;

    private const string TwoCalls = """
        {"model":"qwen3","created_at":"t","message":{"role":"assistant","content":"","thinking":"Need weather.","tool_calls":[
          {"id":"call_q7w2e9rt","function":{"index":0,"name":"get_weather","arguments":{"city":"Zürich 🏔","unit":"c"}}},
          {"id":"call_a1b2c3d4","function":{"index":1,"name":"get_time","arguments":{}}}]},
         "done":true,"done_reason":"stop","prompt_eval_count":142,"eval_count":21}
        """;

    [Fact]
    public void ToolCallsOnly_NullContentToolCallsAndFinishToolCalls()
    {
        byte[] bytes = ChatResponseTranslator.Translate(Encoding.UTF8.GetBytes(TwoCalls), Id, Created, "qwen3");
        JsonElement choice = TranslationJson.Parse(bytes).GetProperty("choices")[0];
        JsonElement message = choice.GetProperty("message");

        Assert.Equal(["role", "content", "reasoning", "tool_calls"], message.Names());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        Assert.Equal("Need weather.", message.GetProperty("reasoning").GetString());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(
            """[{"id":"call_q7w2e9rt","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Z\u00FCrich \uD83C\uDFD4\u0022,\u0022unit\u0022:\u0022c\u0022}"}},{"id":"call_a1b2c3d4","type":"function","function":{"name":"get_time","arguments":"{}"}}]""",
            message.GetProperty("tool_calls").GetRawText());

        JsonElement arguments = JsonDocument.Parse(message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!).RootElement;
        Assert.Equal("Zürich 🏔", arguments.GetProperty("city").GetString());
    }

    [Fact]
    public void ToolCallResponse_ParsedByOfficialSdk()
    {
        byte[] bytes = ChatResponseTranslator.Translate(Encoding.UTF8.GetBytes(TwoCalls), Id, Created, "qwen3");

        ChatCompletion completion = ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromBytes(bytes), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Empty(completion.Content);
        Assert.Equal(2, completion.ToolCalls.Count);
        ChatToolCall first = completion.ToolCalls[0];
        Assert.Equal("call_q7w2e9rt", first.Id);
        Assert.Equal(ChatToolCallKind.Function, first.Kind);
        Assert.Equal("get_weather", first.FunctionName);
        using JsonDocument arguments = JsonDocument.Parse(first.FunctionArguments);
        Assert.Equal("Zürich 🏔", arguments.RootElement.GetProperty("city").GetString());
        Assert.Equal("{}", completion.ToolCalls[1].FunctionArguments.ToString());
        Assert.Equal(163, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public void ContentAndToolCalls_ContentKept()
    {
        JsonElement message = Translate("""
            {"message":{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"call_1","function":{"name":"f","arguments":{"a":[1,2]}}}]},"done":true,"done_reason":"stop"}
            """).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("Let me check.", message.GetProperty("content").GetString());
        Assert.Equal("""{"a":[1,2]}""", message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void ToolCallsCutOffByLength_FinishStaysLength()
    {
        JsonElement choice = Translate("""
            {"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"name":"f","arguments":{}}}]},"done":true,"done_reason":"length"}
            """).GetProperty("choices")[0];

        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("""{"function":{"name":"f","arguments":{}}}""")]
    [InlineData("""{"id":"","function":{"name":"f","arguments":{}}}""")]
    [InlineData("""{"id":null,"function":{"name":"f"}}""")]
    public void ToolCallWithoutId_GetsGeneratedCallId(string call)
    {
        JsonElement toolCall = Translate($$"""{"message":{"role":"assistant","content":"","tool_calls":[{{call}}]},"done":true}""")
            .GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];

        string id = toolCall.GetProperty("id").GetString()!;
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.Equal(24, id.Length - "call_".Length);
        Assert.All(id["call_".Length..], c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.Equal("{}", toolCall.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void EmptyToolCallsArray_NoToolCallsKeyAndStop()
    {
        JsonElement choice = Translate("""{"message":{"role":"assistant","content":"x","tool_calls":[]},"done":true,"done_reason":"stop"}""")
            .GetProperty("choices")[0];

        Assert.False(choice.GetProperty("message").Has("tool_calls"));
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("""{"message":{"tool_calls":{}},"done":true}""")]
    [InlineData("""{"message":{"tool_calls":[5]},"done":true}""")]
    [InlineData("""{"message":{"tool_calls":[{"function":{"arguments":{}}}]},"done":true}""")]
    [InlineData("""{"message":{"tool_calls":[{"function":{"name":"f","arguments":"{}"}}]},"done":true}""")]
    [InlineData("""{"message":{"tool_calls":[{"function":{"name":5}}]},"done":true}""")]
    [InlineData("""{"message":{"tool_calls":[{"id":5,"function":{"name":"f"}}]},"done":true}""")]
    public void MalformedNativeToolCall_TryTranslateFalse(string ollama)
    {
        Assert.False(ChatResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(ollama), Id, Created, "m", out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void StreamTwoCallsInTwoLinesAndOneInFinalLine_IndexedAcrossStreamThenToolCallsFinish()
    {
        var run = new StreamRun(Id, Created, "qwen3", includeUsage: true);
        Assert.False(run.Line("""{"message":{"role":"assistant","content":"","thinking":"Plan."},"done":false}"""));
        Assert.False(run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_aaaaaaaa","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":false}"""));
        Assert.False(run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_bbbbbbbb","function":{"index":1,"name":"get_weather","arguments":{"city":"東京"}}}]},"done":false}"""));
        Assert.True(run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_cccccccc","function":{"index":2,"name":"get_time","arguments":{"tz":"Europe/Paris"}}}]},"done":true,"done_reason":"stop","prompt_eval_count":10,"eval_count":5}"""));
        run.Done();

        List<string> payloads = run.Payloads();
        Assert.Equal("[DONE]", payloads[^1]);
        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(6, chunks.Count);

        Assert.Equal(["role", "reasoning"], Delta(chunks[0]).Names());
        string[] expected =
        [
            """[{"index":0,"id":"call_aaaaaaaa","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}]""",
            """[{"index":1,"id":"call_bbbbbbbb","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022\u6771\u4EAC\u0022}"}}]""",
            """[{"index":2,"id":"call_cccccccc","type":"function","function":{"name":"get_time","arguments":"{\u0022tz\u0022:\u0022Europe/Paris\u0022}"}}]""",
        ];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(["tool_calls"], Delta(chunks[1 + i]).Names());
            Assert.Equal(expected[i], Delta(chunks[1 + i]).GetProperty("tool_calls").GetRawText());
            Assert.Equal(JsonValueKind.Null, Choice(chunks[1 + i]).GetProperty("finish_reason").ValueKind);
        }

        Assert.Equal("東京", JsonDocument.Parse(Delta(chunks[2]).GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!)
            .RootElement.GetProperty("city").GetString());
        Assert.Empty(Delta(chunks[4]).Names());
        Assert.Equal("tool_calls", Choice(chunks[4]).GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[5].GetProperty("choices").GetArrayLength());
    }

    [Fact]
    public void StreamTwoCallsInOneLine_ConsecutiveIndexesInOneChunk()
    {
        var run = new StreamRun(Id, Created, "m", includeUsage: false);
        run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"name":"a","arguments":{}}},{"id":"call_2","function":{"name":"b","arguments":{}}}]},"done":false}""");
        run.Line("""{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}""");

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(2, chunks.Count);
        Assert.Equal(["role", "tool_calls"], Delta(chunks[0]).Names());
        Assert.Equal([0, 1], Delta(chunks[0]).GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal("tool_calls", Choice(chunks[1]).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void StreamContentThenToolCallInFinalLine_ContentThenCallThenFinish()
    {
        var run = new StreamRun(Id, Created, "m", includeUsage: false);
        run.Line("""{"message":{"role":"assistant","content":"Checking"},"done":false}""");
        run.Line("""{"message":{"role":"assistant","content":".","tool_calls":[{"function":{"name":"f","arguments":{"q":"ü"}}}]},"done":true,"done_reason":"stop"}""");

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(4, chunks.Count);
        Assert.Equal(".", Delta(chunks[1]).GetProperty("content").GetString());
        JsonElement call = Delta(chunks[2]).GetProperty("tool_calls")[0];
        Assert.StartsWith("call_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"q":"ü"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", Choice(chunks[3]).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void StreamToolCallThenLength_FinishStaysLength()
    {
        var run = new StreamRun(Id, Created, "m", includeUsage: false);
        run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"name":"f","arguments":{}}}]},"done":false}""");
        run.Line("""{"message":{"role":"assistant","content":""},"done":true,"done_reason":"length"}""");

        Assert.Equal("length", Choice(run.Chunks()[^1]).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void StreamedToolCallChunk_ParsedByOfficialSdk()
    {
        var run = new StreamRun(Id, Created, "m", includeUsage: false);
        run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_sdk","function":{"name":"get_weather","arguments":{"city":"Zürich"}}}]},"done":false}""");
        run.Line("""{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_sdk2","function":{"name":"get_time","arguments":{}}}]},"done":true,"done_reason":"stop"}""");
        List<string> payloads = run.Payloads();

        StreamingChatCompletionUpdate first = ReadUpdate(payloads[0]);
        StreamingChatToolCallUpdate update = Assert.Single(first.ToolCallUpdates);
        Assert.Equal(0, update.Index);
        Assert.Equal("call_sdk", update.ToolCallId);
        Assert.Equal("get_weather", update.FunctionName);
        Assert.Equal("""{"city":"Zürich"}""", update.FunctionArgumentsUpdate.ToString());
        Assert.Equal(ChatMessageRole.Assistant, first.Role);

        StreamingChatToolCallUpdate second = Assert.Single(ReadUpdate(payloads[1]).ToolCallUpdates);
        Assert.Equal(1, second.Index);
        Assert.Equal("get_time", second.FunctionName);

        Assert.Equal(ChatFinishReason.ToolCalls, ReadUpdate(payloads[2]).FinishReason);
    }

    private static StreamingChatCompletionUpdate ReadUpdate(string payload) =>
        ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromString(payload), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;

    private static JsonElement Translate(string ollama) =>
        TranslationJson.Parse(ChatResponseTranslator.Translate(Encoding.UTF8.GetBytes(ollama), Id, Created, "m"));

    private static JsonElement Choice(JsonElement chunk) => Assert.Single(chunk.GetProperty("choices").EnumerateArray());

    private static JsonElement Delta(JsonElement chunk) => Choice(chunk).GetProperty("delta");
}
