using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatResponseTranslatorTests
{
    private const string Id = "chatcmpl-test123";
    private const long Created = 1741000123;

    [Fact]
    public void CompleteReply_MapsEveryField()
    {
        JsonElement r = Translate("""
            {"model":"llama3.2:latest","created_at":"2025-03-01T10:00:00.3Z","message":{"role":"assistant","content":"Hi there"},
             "done":true,"done_reason":"stop","total_duration":912000000,"load_duration":15000000,"prompt_eval_count":31,
             "prompt_eval_duration":120000000,"eval_count":3,"eval_duration":60000000}
            """, model: "llama3.2");

        Assert.Equal(["id", "object", "created", "model", "system_fingerprint", "choices", "usage"], r.Names());
        Assert.Equal(Id, r.GetProperty("id").GetString());
        Assert.Equal("chat.completion", r.GetProperty("object").GetString());
        Assert.Equal(Created, r.GetProperty("created").GetInt64());
        Assert.Equal("llama3.2", r.GetProperty("model").GetString()); // the client's name, not Ollama's echo
        Assert.Equal("fp_ollama", r.GetProperty("system_fingerprint").GetString());

        JsonElement choice = Assert.Single(r.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        JsonElement message = choice.GetProperty("message");
        Assert.Equal(["role", "content"], message.Names());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("Hi there", message.GetProperty("content").GetString());

        JsonElement usage = r.GetProperty("usage");
        Assert.Equal(31, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(34, usage.GetProperty("total_tokens").GetInt64());
    }

    [Theory]
    [InlineData("\"stop\"", "stop")]
    [InlineData("\"length\"", "length")]
    [InlineData("\"load\"", "stop")]
    [InlineData("\"unload\"", "stop")]
    [InlineData("\"\"", "stop")]
    [InlineData("null", "stop")]
    public void DoneReason_MapsToFinishReason(string doneReason, string finishReason)
    {
        JsonElement r = Translate($$"""{"message":{"role":"assistant","content":"x"},"done":true,"done_reason":{{doneReason}} }""");

        Assert.Equal(finishReason, r.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void MissingDoneReason_FinishesStop()
    {
        JsonElement r = Translate("""{"message":{"role":"assistant","content":"x"},"done":true}""");

        Assert.Equal("stop", r.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void MissingMetrics_UsageIsZeros()
    {
        JsonElement usage = Translate("""{"message":{"role":"assistant","content":"x"},"done":true,"done_reason":"stop"}""")
            .GetProperty("usage");

        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void PromptCountMissingOnCacheHit_CompletionTokensStillCounted()
    {
        JsonElement usage = Translate("""{"message":{"role":"assistant","content":"x"},"done":true,"eval_count":7}""")
            .GetProperty("usage");

        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(7, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void Thinking_GoesToReasoningNotContent()
    {
        JsonElement message = Translate("""
            {"message":{"role":"assistant","content":"42","thinking":"Let me think."},"done":true,"done_reason":"stop"}
            """).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("42", message.GetProperty("content").GetString());
        Assert.Equal("Let me think.", message.GetProperty("reasoning").GetString());
    }

    [Fact]
    public void EmptyThinking_NoReasoningKey()
    {
        JsonElement message = Translate("""{"message":{"role":"assistant","content":"42","thinking":""},"done":true}""")
            .GetProperty("choices")[0].GetProperty("message");

        Assert.False(message.Has("reasoning"));
    }

    [Theory]
    [InlineData("""{"message":{"role":"assistant","content":null},"done":true}""")]
    [InlineData("""{"message":{"role":"assistant"},"done":true}""")]
    [InlineData("""{"done":true}""")]
    public void MissingOrNullContent_IsEmptyString(string ollama)
    {
        JsonElement content = Translate(ollama).GetProperty("choices")[0].GetProperty("message").GetProperty("content");

        Assert.Equal(JsonValueKind.String, content.ValueKind);
        Assert.Equal(string.Empty, content.GetString());
    }

    [Fact]
    public void MultiByteAndEscapedContent_SurvivesIntact()
    {
        JsonElement message = Translate("""
            {"message":{"role":"assistant","content":"héllo 🦙 \u00e9 \"quoted\"\n\\","thinking":"日本語"},"done":true}
            """).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("héllo 🦙 é \"quoted\"\n\\", message.GetProperty("content").GetString());
        Assert.Equal("日本語", message.GetProperty("reasoning").GetString());
    }

    [Fact]
    public void UnknownNativeFields_Ignored()
    {
        JsonElement r = Translate("""
            {"model":"m","logprobs":[{"token":"x"}],"message":{"role":"assistant","content":"ok","images":null,"tool_calls":[]},
             "done":true,"context":[1,2,3],"future_field":{"a":[1]}}
            """);

        Assert.Equal("ok", r.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public void ErrorBody_TryTranslateReturnsUpstreamMessage()
    {
        bool ok = ChatResponseTranslator.TryTranslate(
            """{"error":"model 'nope' not found"}"""u8, Id, Created, "nope", out byte[]? body, out string? error);

        Assert.False(ok);
        Assert.Null(body);
        Assert.Equal("model 'nope' not found", error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"message":"text","done":true}""")]
    [InlineData("""{"message":{"content":5},"done":true}""")]
    [InlineData("""{"done":"yes"}""")]
    [InlineData("""{"done":true,"eval_count":"3"}""")]
    [InlineData("""{"done":true} {"done":true}""")]
    public void InvalidBody_TryTranslateFalseAndTranslateThrows(string ollama)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(ollama);

        Assert.False(ChatResponseTranslator.TryTranslate(bytes, Id, Created, "m", out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<JsonException>(() => ChatResponseTranslator.Translate(bytes, Id, Created, "m"));
    }

    private static JsonElement Translate(string ollama, string model = "m") =>
        TranslationJson.Parse(ChatResponseTranslator.Translate(Encoding.UTF8.GetBytes(ollama), Id, Created, model));
}
