using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.OpenAI.Completions;

namespace OllamaGateway.Tests.Translation.OpenAI.Completions;

public sealed class CompletionResponseTranslatorTests
{
    private const string Id = "cmpl-abc123";
    private const long Created = 1741000000;
    private const string Model = "llama3.2";

    private const string FullReply =
        """{"model":"llama3.2","created_at":"2025-03-03T10:00:00.1Z","response":"The sky is blue.","done":true,"done_reason":"stop","context":[1,2,3,4],"total_duration":5,"load_duration":1,"prompt_eval_count":12,"prompt_eval_duration":2,"eval_count":5,"eval_duration":3}""";

    [Fact]
    public void FullReply_MapsToTextCompletionShape()
    {
        JsonElement root = Translate(FullReply);

        Assert.Equal(["id", "object", "created", "model", "system_fingerprint", "choices", "usage"], root.Names());
        Assert.Equal(Id, root.GetProperty("id").GetString());
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        Assert.Equal(Created, root.GetProperty("created").GetInt64());
        Assert.Equal(Model, root.GetProperty("model").GetString());
        Assert.Equal("fp_ollama", root.GetProperty("system_fingerprint").GetString());

        JsonElement choice = Assert.Single(root.GetProperty("choices").EnumerateArray());
        Assert.Equal(["text", "index", "logprobs", "finish_reason"], choice.Names());
        Assert.Equal("The sky is blue.", choice.GetProperty("text").GetString());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());

        JsonElement usage = root.GetProperty("usage");
        Assert.Equal(12, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(17, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void ModelEchoed_IsTheClientsNameNotOllamas()
    {
        JsonElement root = Translate(FullReply, model: "Llama3.2:latest");

        Assert.Equal("Llama3.2:latest", root.GetProperty("model").GetString());
    }

    [Fact]
    public void ContextArray_NotEchoed()
    {
        byte[] json = TranslateBytes(FullReply);

        Assert.DoesNotContain("context", Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void DoneReasonLength_FinishReasonLength()
    {
        JsonElement root = Translate("""{"response":"cut","done":true,"done_reason":"length","prompt_eval_count":3,"eval_count":16}""");

        Assert.Equal("length", Choice(root).GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("""{"response":"x","done":true}""")]
    [InlineData("""{"response":"x","done":true,"done_reason":"stop"}""")]
    [InlineData("""{"response":"x","done":true,"done_reason":"load"}""")]
    [InlineData("""{"response":"x","done":true,"done_reason":"unload"}""")]
    [InlineData("""{"response":"x","done":true,"done_reason":""}""")]
    public void OtherDoneReasons_FinishReasonStop(string json)
    {
        Assert.Equal("stop", Choice(Translate(json)).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void MissingMetrics_UsageZeros()
    {
        JsonElement usage = Translate("""{"response":"hi","done":true,"done_reason":"stop"}""").GetProperty("usage");

        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void OnlyEvalCount_PromptTokensZeroTotalIsEvalCount()
    {
        // Older servers omit prompt_eval_count on a prompt-cache hit.
        JsonElement usage = Translate("""{"response":"hi","done":true,"eval_count":7}""").GetProperty("usage");

        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(7, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void Thinking_DroppedNotMergedIntoText()
    {
        JsonElement root = Translate("""{"response":"42","thinking":"Let me reason secretly.","done":true,"eval_count":9}""");

        Assert.Equal("42", Choice(root).GetProperty("text").GetString());
        Assert.DoesNotContain("secretly", root.GetRawText());
        Assert.Equal(9, root.GetProperty("usage").GetProperty("completion_tokens").GetInt64());
    }

    [Fact]
    public void MissingOrNullResponse_EmptyText()
    {
        Assert.Equal("", Choice(Translate("""{"done":true}""")).GetProperty("text").GetString());
        Assert.Equal("", Choice(Translate("""{"response":null,"done":true}""")).GetProperty("text").GetString());
    }

    [Fact]
    public void MultiByteUtf8_SurvivesIntact()
    {
        JsonElement root = Translate("""{"response":"héllo 🦙 日本語","done":true}""");

        Assert.Equal("héllo 🦙 日本語", Choice(root).GetProperty("text").GetString());
    }

    [Fact]
    public void EscapedText_Unescaped()
    {
        JsonElement root = Translate("""{"response":"line1\nline2 \"q\" \u00e9 \ud83e\udd99","done":true}""");

        Assert.Equal("line1\nline2 \"q\" é 🦙", Choice(root).GetProperty("text").GetString());
    }

    [Fact]
    public void ErrorBody_FalseWithUpstreamMessage()
    {
        bool ok = CompletionResponseTranslator.TryTranslate(
            """{"error":"model 'nope' not found"}"""u8, Id, Created, Model, out byte[]? json, out string? error);

        Assert.False(ok);
        Assert.Null(json);
        Assert.Equal("model 'nope' not found", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"response":"x","done":true""")]
    [InlineData("""{"response":"x"} {"response":"y"}""")]
    [InlineData("""[{"response":"x"}]""")]
    [InlineData("""{"response":42,"done":true}""")]
    [InlineData("""{"response":"x","done":"yes"}""")]
    [InlineData("""{"response":"x","done":true,"eval_count":-1}""")]
    [InlineData("""{"response":"\ud800","done":true}""")]
    public void MalformedBody_FalseWithDescription(string body)
    {
        bool ok = CompletionResponseTranslator.TryTranslate(
            Encoding.UTF8.GetBytes(body), Id, Created, Model, out byte[]? json, out string? error);

        Assert.False(ok);
        Assert.Null(json);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void InvalidUtf8_False()
    {
        byte[] body = [.. "{\"response\":\""u8, 0xFF, .. "\",\"done\":true}"u8];

        Assert.False(CompletionResponseTranslator.TryTranslate(body, Id, Created, Model, out _, out _));
    }

    private static JsonElement Choice(JsonElement root) => root.GetProperty("choices")[0];

    private static JsonElement Translate(string ollamaJson, string model = Model) =>
        TranslationJson.Parse(TranslateBytes(ollamaJson, model));

    private static byte[] TranslateBytes(string ollamaJson, string model = Model)
    {
        bool ok = CompletionResponseTranslator.TryTranslate(
            Encoding.UTF8.GetBytes(ollamaJson), Id, Created, model, out byte[]? json, out string? error);
        Assert.True(ok, error);
        Assert.NotNull(json);
        return json;
    }
}
