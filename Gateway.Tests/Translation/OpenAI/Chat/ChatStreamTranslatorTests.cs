using System.Buffers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatStreamTranslatorTests
{
    private const string Id = "chatcmpl-stream123";
    private const long Created = 1741000000;
    private const string Model = "llama3.2";

    private const string DoneEmpty =
        """{"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":31,"eval_count":3}""";

    [Fact]
    public void SimpleStream_RoleOnlyInFirstChunkThenFinishThenDone()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);

        Assert.False(run.Line(Content("Hi")));
        Assert.False(run.Line(Content(" there")));
        Assert.True(run.Line(DoneEmpty));
        run.Done();

        List<string> payloads = run.Payloads();
        Assert.Equal(4, payloads.Count);
        Assert.Equal("[DONE]", payloads[3]);
        List<JsonElement> chunks = run.Chunks();

        Assert.Equal(["role", "content"], Delta(chunks[0]).Names());
        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal("Hi", Delta(chunks[0]).GetProperty("content").GetString());
        Assert.Equal(["content"], Delta(chunks[1]).Names());
        Assert.Equal(" there", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Empty(Delta(chunks[2]).Names());
        Assert.Equal("stop", Choice(chunks[2]).GetProperty("finish_reason").GetString());

        Assert.Equal(JsonValueKind.Null, Choice(chunks[0]).GetProperty("finish_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, Choice(chunks[1]).GetProperty("finish_reason").ValueKind);
    }

    [Fact]
    public void EveryChunk_SharesIdCreatedModelAndIsAChunkWithoutUsageKey()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("a"));
        run.Line(Content("b"));
        run.Line(DoneEmpty);

        foreach (JsonElement chunk in run.Chunks())
        {
            Assert.Equal(Id, chunk.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(Created, chunk.GetProperty("created").GetInt64());
            Assert.Equal(Model, chunk.GetProperty("model").GetString());
            Assert.Equal(0, Choice(chunk).GetProperty("index").GetInt32());
            Assert.False(chunk.Has("usage"));
        }
    }

    [Fact]
    public void IncludeUsage_UsageChunkWithEmptyChoicesAfterFinishAndNullUsageBefore()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: true);
        run.Line(Content("Hello"));
        run.Line(DoneEmpty);
        run.Done();

        List<string> payloads = run.Payloads();
        Assert.Equal(4, payloads.Count);
        Assert.Equal("[DONE]", payloads[^1]);
        List<JsonElement> chunks = run.Chunks();

        Assert.Equal(JsonValueKind.Null, chunks[0].GetProperty("usage").ValueKind);
        Assert.Equal("stop", Choice(chunks[1]).GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, chunks[1].GetProperty("usage").ValueKind);

        JsonElement usageChunk = chunks[2];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(Id, usageChunk.GetProperty("id").GetString());
        Assert.Equal("chat.completion.chunk", usageChunk.GetProperty("object").GetString());
        JsonElement usage = usageChunk.GetProperty("usage");
        Assert.Equal(31, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(34, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void WithoutIncludeUsage_NoChunkHasEmptyChoices()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("Hello"));
        run.Line(DoneEmpty);

        Assert.All(run.Chunks(), c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public void IncludeUsageWithMissingMetrics_UsageIsZeros()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: true);
        run.Line(Content("x"));
        run.Line("""{"message":{"role":"assistant","content":""},"done":true}""");

        JsonElement usage = run.Chunks()[^1].GetProperty("usage");
        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void DoneLineWithContent_ContentSentBeforeFinishChunk()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("Hel"));
        run.Line("""{"message":{"role":"assistant","content":"lo!"},"done":true,"done_reason":"stop"}""");

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(3, chunks.Count);
        Assert.Equal("lo!", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, Choice(chunks[1]).GetProperty("finish_reason").ValueKind);
        Assert.Empty(Delta(chunks[2]).Names());
        Assert.Equal("stop", Choice(chunks[2]).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void EmptyFirstLine_StillOpensWithRoleAndEmptyContent()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content(string.Empty));
        run.Line(Content("x"));

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(2, chunks.Count);
        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal(string.Empty, Delta(chunks[0]).GetProperty("content").GetString());
        Assert.Equal(["content"], Delta(chunks[1]).Names());
    }

    [Fact]
    public void EmptyIntermediateLines_AreSkipped()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("a"));
        int before = run.Output.WrittenCount;

        Assert.False(run.Line(Content(string.Empty)));
        Assert.False(run.Line("""{"message":{"role":"assistant","content":null},"done":false}"""));

        Assert.Equal(before, run.Output.WrittenCount);
    }

    [Fact]
    public void OnlyAnEmptyDoneLine_GivesRoleChunkThenFinish()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);

        Assert.True(run.Line(DoneEmpty));

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(2, chunks.Count);
        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal(string.Empty, Delta(chunks[0]).GetProperty("content").GetString());
        Assert.Equal("stop", Choice(chunks[1]).GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData(",\"done_reason\":\"length\"", "length")]
    [InlineData(",\"done_reason\":\"stop\"", "stop")]
    [InlineData(",\"done_reason\":\"load\"", "stop")]
    [InlineData(",\"done_reason\":\"unload\"", "stop")]
    [InlineData("", "stop")]
    public void DoneReason_MapsToFinishReason(string doneReason, string finishReason)
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("a"));
        run.Line($$"""{"message":{"role":"assistant","content":""},"done":true{{doneReason}} }""");

        Assert.Equal(finishReason, Choice(run.Chunks()[^1]).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void ThinkingLines_SentAsReasoningNeverAsContent()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line("""{"message":{"role":"assistant","content":"","thinking":"Hmm"},"done":false}""");
        run.Line("""{"message":{"role":"assistant","content":"42","thinking":" ok"},"done":false}""");
        run.Line(DoneEmpty);

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(4, chunks.Count);
        Assert.Equal(["role", "reasoning"], Delta(chunks[0]).Names());
        Assert.Equal("Hmm", Delta(chunks[0]).GetProperty("reasoning").GetString());
        Assert.Equal(["reasoning"], Delta(chunks[1]).Names());
        Assert.Equal(" ok", Delta(chunks[1]).GetProperty("reasoning").GetString());
        Assert.Equal(["content"], Delta(chunks[2]).Names());
        Assert.Equal("42", Delta(chunks[2]).GetProperty("content").GetString());
    }

    [Fact]
    public void MultiByteUtf8_IntactInOutput()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("hé"));
        run.Line(Content("llo 🦙"));
        run.Line("""{"message":{"role":"assistant","content":" \u00e9\ud83e\udd99"},"done":true}""");

        string text = string.Concat(run.Chunks().Select(c => Delta(c).TryGetProperty("content", out JsonElement v) ? v.GetString() : string.Empty));
        Assert.Equal("héllo 🦙 é🦙", text);
    }

    [Fact]
    public void ErrorLineMidStream_ErrorEventAndStreamEndsWithoutFinishOrDone()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: true);
        Assert.False(run.Line(Content("partial")));

        Assert.True(run.Line("""{"error":"an error was encountered while running the model: unexpected EOF"}"""));
        run.Done();

        List<string> payloads = run.Payloads();
        Assert.Equal(2, payloads.Count);
        Assert.DoesNotContain("[DONE]", payloads);
        JsonElement error = JsonDocument.Parse(payloads[1]).RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.Names());
        Assert.Equal("an error was encountered while running the model: unexpected EOF", error.GetProperty("message").GetString());
        Assert.Equal("api_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        Assert.DoesNotContain("finish_reason\":\"", payloads[0], StringComparison.Ordinal);
        Assert.Equal(StreamState.Failed, run.Translator.State);
    }

    [Fact]
    public void LinesAfterError_IgnoredAndReportFinished()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line("""{"error":"boom"}""");
        int before = run.Output.WrittenCount;
        Assert.Equal("boom", Assert.Single(run.Chunks()).GetProperty("error").GetProperty("message").GetString());

        Assert.True(run.Line(DoneEmpty));

        Assert.Equal(before, run.Output.WrittenCount);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"message\":{\"content\":\"a\"}")]
    [InlineData("[1,2]")]
    [InlineData("{\"message\":{\"content\":7},\"done\":false}")]
    [InlineData("{\"done\":false} trailing")]
    public void InvalidLine_ErrorEventAndFinished(string line)
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("ok"));

        Assert.True(run.Line(line));
        run.Done();

        List<JsonElement> events = run.Chunks();
        Assert.Equal(2, events.Count);
        Assert.Equal("api_error", events[1].GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public void InvalidUtf8Line_ErrorEventNotException()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        byte[] line = [.. """{"message":{"content":"a"""u8, 0xFF, .. "\"},\"done\":false}"u8];

        Assert.True(run.Translator.TranslateLine(line, run.Output));

        Assert.True(Assert.Single(run.Chunks()).Has("error"));
    }

    [Fact]
    public void BlankLine_IgnoredAndNotFinished()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);

        Assert.False(run.Line(string.Empty));
        Assert.False(run.Line(" \r"));

        Assert.Equal(0, run.Output.WrittenCount);
    }

    [Fact]
    public void LineWithTrailingCarriageReturn_Translated()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);

        run.Line(Content("a") + "\r");

        Assert.Equal("a", Delta(Assert.Single(run.Chunks())).GetProperty("content").GetString());
    }

    [Fact]
    public void WriteErrorFromPipeline_ErrorEventWithGivenTypeAndNoDone()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("a"));

        run.Translator.WriteError(run.Output, "Upstream stopped responding.", "timeout_error");
        run.Translator.WriteError(run.Output, "second", "api_error");
        run.Done();

        List<JsonElement> events = run.Chunks();
        Assert.Equal(2, events.Count);
        JsonElement error = events[1].GetProperty("error");
        Assert.Equal("Upstream stopped responding.", error.GetProperty("message").GetString());
        Assert.Equal("timeout_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public void WriteDoneBeforeDoneLine_WritesNothing()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Content("a"));
        int before = run.Output.WrittenCount;

        run.Done();

        Assert.Equal(before, run.Output.WrittenCount);
        Assert.Equal(StreamState.Open, run.Translator.State);
    }

    [Fact]
    public void WriteDoneTwice_WritesDoneOnce()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(DoneEmpty);

        run.Done();
        run.Done();

        Assert.Single(run.Payloads(), p => p == "[DONE]");
        Assert.EndsWith("data: [DONE]\n\n", Encoding.UTF8.GetString(run.Output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void LinesAfterDone_IgnoredAndReportFinished()
    {
        var run = new StreamRun(Id, Created, Model, includeUsage: false);
        run.Line(DoneEmpty);
        int before = run.Output.WrittenCount;

        Assert.True(run.Line(Content("late")));

        Assert.Equal(before, run.Output.WrittenCount);
        Assert.Equal(StreamState.Completed, run.Translator.State);
    }

    [Fact]
    public void DifferentOutputBufferPerLine_EachGetsWholeEvents()
    {
        var translator = new ChatStreamTranslator(Id, Created, Model, includeUsage: false);
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        translator.TranslateLine(Encoding.UTF8.GetBytes(Content("a")), first);
        translator.TranslateLine(Encoding.UTF8.GetBytes(DoneEmpty), second);

        Assert.Equal("a", Delta(Assert.Single(SseEvents.Json(first.WrittenSpan))).GetProperty("content").GetString());
        JsonElement finish = Assert.Single(SseEvents.Json(second.WrittenSpan));
        Assert.Equal("stop", Choice(finish).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void NewId_HasPrefixAndLongRandomUrlSafeSuffix()
    {
        string a = ChatStreamTranslator.NewId();
        string b = ChatStreamTranslator.NewId();

        Assert.StartsWith("chatcmpl-", a, StringComparison.Ordinal);
        string suffix = a["chatcmpl-".Length..];
        Assert.True(suffix.Length >= 24);
        Assert.All(suffix, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void ModelAndIdNeedingEscapes_WrittenAsValidJson()
    {
        var run = new StreamRun(Id, Created, "we\"ird/model:ñ", includeUsage: false);
        run.Line(Content("a"));

        Assert.Equal("we\"ird/model:ñ", Assert.Single(run.Chunks()).GetProperty("model").GetString());
    }

    private static string Content(string text) =>
        $$"""{"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":"{{Escape(text)}}"},"done":false}""";

    // Only quotes and backslashes are escaped, so non-ASCII text reaches the translator as raw UTF-8 bytes.
    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static JsonElement Choice(JsonElement chunk) => Assert.Single(chunk.GetProperty("choices").EnumerateArray());

    private static JsonElement Delta(JsonElement chunk) => Choice(chunk).GetProperty("delta");
}
