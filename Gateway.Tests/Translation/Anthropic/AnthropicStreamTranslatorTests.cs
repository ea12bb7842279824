using System.Text.Json;
using OllamaGateway.Translation;

namespace OllamaGateway.Tests.Translation.Anthropic;

public sealed class AnthropicStreamTranslatorTests
{
    private const string Done = """{"model":"qwen3","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":12,"eval_count":5}""";

    private static string Content(string text) => $$"""{"model":"qwen3","message":{"role":"assistant","content":"{{text}}"},"done":false}""";

    private static string Thinking(string text) => $$"""{"model":"qwen3","message":{"role":"assistant","content":"","thinking":"{{text}}"},"done":false}""";

    private const string Call = """{"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_abc","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":false}""";

    [Fact]
    public void Text_IsMessageStartOneTextBlockMessageDeltaAndStop()
    {
        var run = new AnthropicStreamRun();
        Assert.False(run.Line(Content("Hello")));
        Assert.False(run.Line(Content(" world")));
        Assert.True(run.Line(Done));

        var events = run.Events();
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Event));
        var message = events[0].Data.GetProperty("message");
        Assert.Equal("msg_test", message.GetProperty("id").GetString());
        Assert.Equal("qwen3", message.GetProperty("model").GetString());
        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_reason").ValueKind);
        Assert.Equal("""{"type":"text","text":""}""", events[1].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("""{"type":"text_delta","text":" world"}""", events[3].Data.GetProperty("delta").GetRawText());
        Assert.All(events.Skip(1).Take(4), e => Assert.Equal(0, e.Data.GetProperty("index").GetInt32()));
        var delta = events[5].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(12, delta.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(5, delta.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal(StreamState.Completed, run.Translator.State);
        Assert.Equal(new TokenUsage(12, 5), run.Translator.Usage);
        Assert.Equal(2, run.Translator.ContentChunks);
    }

    [Fact]
    public void ThinkingThenText_AreTwoBlocks_ThinkingFirst()
    {
        var run = new AnthropicStreamRun();
        run.Line(Thinking("Hmm"));
        run.Line("""{"model":"qwen3","message":{"role":"assistant","content":"Hi","thinking":" ok"},"done":false}""");
        run.Line(Done);

        var events = run.Events();
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal("""{"type":"thinking","thinking":"","signature":""}""", events[1].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("""{"type":"thinking_delta","thinking":" ok"}""", events[3].Data.GetProperty("delta").GetRawText());
        Assert.Equal(1, events[5].Data.GetProperty("index").GetInt32());
        Assert.Equal("""{"type":"text_delta","text":"Hi"}""", events[6].Data.GetProperty("delta").GetRawText());
    }

    [Fact]
    public void TextThenToolCall_ClosesTheTextBlock_AndStopsForToolUse()
    {
        var run = new AnthropicStreamRun();
        run.Line(Content("Let me look."));
        run.Line(Call);
        run.Line(Done);

        var events = run.Events();
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        var toolUse = events[4].Data.GetProperty("content_block");
        Assert.Equal(1, events[4].Data.GetProperty("index").GetInt32());
        Assert.Equal("tool_use", toolUse.GetProperty("type").GetString());
        Assert.StartsWith("toolu_", toolUse.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", toolUse.GetProperty("name").GetString());
        Assert.Equal("{}", toolUse.GetProperty("input").GetRawText());
        Assert.Equal("input_json_delta", events[5].Data.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal("""{"city":"Paris"}""", events[5].Data.GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal("tool_use", events[7].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void LengthCut_IsMaxTokens()
    {
        var run = new AnthropicStreamRun();
        run.Line(Content("Hel"));
        run.Line("""{"model":"qwen3","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","prompt_eval_count":3,"eval_count":1}""");

        Assert.Equal("max_tokens", run.Events()[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void OllamaErrorLine_IsAnErrorEvent_AndTheStreamEndsWithoutMessageStop()
    {
        var run = new AnthropicStreamRun();
        run.Line(Content("Hel"));
        Assert.True(run.Line("""{"error":"an error was encountered while running the model: unexpected EOF"}"""));
        Assert.True(run.Line(Content("ignored")));

        var events = run.Events();
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "error"], events.Select(e => e.Event));
        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"an error was encountered while running the model: unexpected EOF"}}""", events[^1].Data.GetRawText());
        Assert.Equal(StreamState.Failed, run.Translator.State);
        Assert.Equal(1, run.Translator.ContentChunks);
    }

    [Fact]
    public void StreamBrokenOff_WritesOneErrorEvent()
    {
        var run = new AnthropicStreamRun();
        run.Line(Content("Hel"));
        run.Translator.WriteError(run.Output, "The connection to Ollama was lost.");
        run.Translator.WriteError(run.Output, "second");

        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "error"], run.Names());
        Assert.Equal(StreamState.Failed, run.Translator.State);
    }

    [Theory]
    [InlineData(404, "not_found_error")]
    [InlineData(503, "overloaded_error")]
    [InlineData(500, "api_error")]
    [InlineData(504, "timeout_error")]
    [InlineData(400, "invalid_request_error")]
    public void OllamaErrorAfterTheStart_IsTypedByItsStatus(int status, string type)
    {
        var run = new AnthropicStreamRun();
        ((IStreamTranslator)run.Translator).WriteKeepAlive(run.Output);
        ((IStreamTranslator)run.Translator).WriteUpstreamError(run.Output, status, "m");

        Assert.Equal(["message_start", "ping", "error"], run.Names());
        Assert.Equal(type, run.Events()[^1].Data.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public void KeepAlives_ArePings_AndTheMessageStartsOnce()
    {
        var run = new AnthropicStreamRun();
        run.Translator.WriteKeepAlive(run.Output);
        run.Translator.WriteKeepAlive(run.Output);
        run.Line(Content("Hi"));
        run.Translator.WriteKeepAlive(run.Output);
        run.Line(Done);
        run.Translator.WriteKeepAlive(run.Output);

        Assert.Equal(
            ["message_start", "ping", "ping", "content_block_start", "content_block_delta", "ping", "content_block_stop", "message_delta", "message_stop"],
            run.Names());
        Assert.Equal("""{"type":"ping"}""", run.Events()[1].Data.GetRawText());
    }
}
