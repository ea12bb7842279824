using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.Anthropic;

namespace OllamaGateway.Tests.Translation.Anthropic;

public sealed class AnthropicResponseTranslatorTests
{
    private static JsonElement Translate(string ollama, out TranslatedAnswer answer)
    {
        answer = AnthropicResponseTranslator.Translate(Encoding.UTF8.GetBytes(ollama), "msg_1", "qwen3");
        return TranslationJson.Parse(answer.Json!);
    }

    [Fact]
    public void Text_IsAMessageWithUsage()
    {
        JsonElement message = Translate("""{"model":"qwen3","message":{"role":"assistant","content":"Hi"},"done":true,"done_reason":"stop","prompt_eval_count":7,"eval_count":2}""", out var answer);

        Assert.Equal(
            """{"id":"msg_1","type":"message","role":"assistant","model":"qwen3","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":2,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""",
            message.GetRawText());
        Assert.Equal(new TokenUsage(7, 2), answer.Usage);
    }

    [Fact]
    public void ThinkingTextAndCall_AreBlocksInThatOrder_AndStopForToolUse()
    {
        JsonElement message = Translate("""
            {"model":"qwen3","message":{"role":"assistant","content":"Looking.","thinking":"Need data.","tool_calls":[{"id":"call_1","function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":true,"done_reason":"stop","prompt_eval_count":7,"eval_count":9}
            """, out _);

        var content = message.GetProperty("content");
        Assert.Equal(["thinking", "text", "tool_use"], content.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Need data.", content[0].GetProperty("thinking").GetString());
        Assert.Equal("""{"city":"Paris"}""", content[2].GetProperty("input").GetRawText());
        Assert.Equal("tool_use", message.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void EmptyAnswer_HasEmptyContent_AndALengthCutIsMaxTokens()
    {
        JsonElement message = Translate("""{"model":"qwen3","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","eval_count":1}""", out _);

        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        Assert.Equal("max_tokens", message.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void ErrorOrGarbage_IsUnusable()
    {
        Assert.Null(AnthropicResponseTranslator.Translate("""{"error":"boom"}"""u8, "msg_1", "m").Json);
        Assert.Null(AnthropicResponseTranslator.Translate("not json"u8, "msg_1", "m").Json);
    }
}
