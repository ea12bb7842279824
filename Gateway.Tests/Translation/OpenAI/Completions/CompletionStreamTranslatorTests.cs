using System.Buffers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Completions;

namespace OllamaGateway.Tests.Translation.OpenAI.Completions;

public sealed class CompletionStreamTranslatorTests
{
    private const string Id = "cmpl-stream123";
    private const long Created = 1741000000;
    private const string Model = "llama3.2";

    private const string DoneEmpty =
        """{"model":"llama3.2","created_at":"t","response":"","done":true,"done_reason":"stop","context":[128006,882,128007],"total_duration":9,"prompt_eval_count":31,"eval_count":3}""";

    [Fact]
    public void TextPieces_OneChunkEachThenFinishChunkThenDone()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);

        Assert.False(run.Line(Piece("Hel")));
        Assert.False(run.Line(Piece("lo")));
        Assert.True(run.Line(DoneEmpty));
        run.Done();

        List<string> payloads = run.Payloads();
        Assert.Equal(4, payloads.Count);
        Assert.Equal("[DONE]", payloads[3]);
        List<JsonElement> chunks = run.Chunks();
        Assert.Equal("Hel", Text(chunks[0]));
        Assert.Equal("lo", Text(chunks[1]));
        Assert.Equal("", Text(chunks[2]));
        Assert.Equal(JsonValueKind.Null, Choice(chunks[0]).GetProperty("finish_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, Choice(chunks[1]).GetProperty("finish_reason").ValueKind);
        Assert.Equal("stop", Choice(chunks[2]).GetProperty("finish_reason").GetString());
        Assert.Equal(StreamState.Completed, run.Translator.State);
    }

    [Fact]
    public void EveryChunk_SharesIdCreatedModelAndHasTextCompletionShapeWithoutUsageKey()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("a"));
        run.Line(Piece("b"));
        run.Line(DoneEmpty);

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(3, chunks.Count);
        foreach (JsonElement chunk in chunks)
        {
            Assert.Equal(["id", "object", "created", "model", "system_fingerprint", "choices"], chunk.Names());
            Assert.Equal(Id, chunk.GetProperty("id").GetString());
            Assert.Equal("text_completion", chunk.GetProperty("object").GetString());
            Assert.Equal(Created, chunk.GetProperty("created").GetInt64());
            Assert.Equal(Model, chunk.GetProperty("model").GetString());
            Assert.Equal("fp_ollama", chunk.GetProperty("system_fingerprint").GetString());
            JsonElement choice = Assert.Single(chunk.GetProperty("choices").EnumerateArray());
            Assert.Equal(["text", "index", "logprobs", "finish_reason"], choice.Names());
            Assert.Equal(0, choice.GetProperty("index").GetInt32());
            Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        }
    }

    [Fact]
    public void FinalLineWithText_FinishChunkCarriesThatText()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("The answer"));
        Assert.True(run.Line("""{"response":" is 42.","done":true,"done_reason":"stop","eval_count":4}"""));
        run.Done();

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(2, chunks.Count);
        Assert.Equal(" is 42.", Text(chunks[1]));
        Assert.Equal("stop", Choice(chunks[1]).GetProperty("finish_reason").GetString());
        Assert.Equal("[DONE]", run.Payloads()[^1]);
    }

    [Fact]
    public void DoneReasonLength_FinishReasonLength()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("x"));
        run.Line("""{"response":"","done":true,"done_reason":"length"}""");

        Assert.Equal("length", Choice(run.Chunks()[^1]).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void DoneWithoutReason_FinishReasonStop()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line("""{"response":"x","done":true}""");

        Assert.Equal("stop", Choice(Assert.Single(run.Chunks())).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void IncludeUsage_UsageChunkWithEmptyChoicesAfterFinishAndNullUsageBefore()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: true);
        run.Line(Piece("Hello"));
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
        Assert.Equal(Id, usageChunk.GetProperty("id").GetString());
        Assert.Equal("text_completion", usageChunk.GetProperty("object").GetString());
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        JsonElement usage = usageChunk.GetProperty("usage");
        Assert.Equal(31, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(34, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void IncludeUsageWithMissingMetrics_UsageZeros()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: true);
        run.Line("""{"response":"x","done":true,"done_reason":"stop"}""");

        JsonElement usage = run.Chunks()[^1].GetProperty("usage");
        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void WithoutIncludeUsage_NoUsageChunk()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("Hello"));
        run.Line(DoneEmpty);

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
        Assert.DoesNotContain("usage", Encoding.UTF8.GetString(run.Output.WrittenSpan));
    }

    [Fact]
    public void ThinkingPieces_DroppedAndEmptyLinesSkipped()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);

        Assert.False(run.Line("""{"response":"","thinking":"Hmm, secret plan","done":false}"""));
        Assert.False(run.Line("""{"response":"","thinking":" more","done":false}"""));
        Assert.False(run.Line("""{"response":"","done":false}"""));
        Assert.Equal(0, run.Output.WrittenCount);

        run.Line(Piece("Answer"));
        run.Line("""{"response":"","thinking":"late","done":true,"done_reason":"stop"}""");

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(2, chunks.Count);
        Assert.Equal("Answer", Text(chunks[0]));
        string written = Encoding.UTF8.GetString(run.Output.WrittenSpan);
        Assert.DoesNotContain("secret", written);
        Assert.DoesNotContain("late", written);
        Assert.DoesNotContain("thinking", written);
    }

    [Fact]
    public void FinalLineContext_NotEchoed()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: true);
        run.Line(DoneEmpty);
        run.Done();

        string written = Encoding.UTF8.GetString(run.Output.WrittenSpan);
        Assert.DoesNotContain("context", written);
        Assert.DoesNotContain("128006", written);
    }

    [Fact]
    public void MultiByteUtf8Pieces_SurviveIntact()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Encoding.UTF8.GetBytes("""{"response":"h","done":false}"""));
        run.Line(Encoding.UTF8.GetBytes("""{"response":"éllo ","done":false}"""));
        run.Line(Encoding.UTF8.GetBytes("""{"response":"🦙","done":false}"""));
        run.Line(Encoding.UTF8.GetBytes("""{"response":" \ud83e\udd99 日本","done":true}"""));

        // SseEvents decodes strictly: invalid UTF-8 anywhere in the output fails here.
        List<JsonElement> chunks = run.Chunks();
        Assert.Equal("🦙", Text(chunks[2]));
        Assert.Equal("héllo 🦙 🦙 日本", string.Concat(chunks.Select(Text)));
    }

    [Fact]
    public void ErrorLineMidStream_ErrorEventFailedStateAndNoDone()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: true);
        run.Line(Piece("partial"));

        Assert.True(run.Line("""{"error":"model runner has unexpectedly stopped"}"""));
        run.Done();

        Assert.Equal(StreamState.Failed, run.Translator.State);
        List<string> payloads = run.Payloads();
        Assert.Equal(2, payloads.Count);
        Assert.DoesNotContain("[DONE]", payloads);
        JsonElement error = run.Chunks()[1];
        Assert.Equal(["error"], error.Names());
        JsonElement inner = error.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], inner.Names());
        Assert.Equal("model runner has unexpectedly stopped", inner.GetProperty("message").GetString());
        Assert.Equal("api_error", inner.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, inner.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, inner.GetProperty("code").ValueKind);
        Assert.DoesNotContain("finish_reason\":\"stop", Encoding.UTF8.GetString(run.Output.WrittenSpan));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"response":"x","done":false""")]
    [InlineData("""{"response":7,"done":false}""")]
    [InlineData("""["response"]""")]
    public void MalformedLine_ErrorEventAndFailed(string line)
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("ok"));

        Assert.True(run.Line(line));
        run.Done();

        Assert.Equal(StreamState.Failed, run.Translator.State);
        List<JsonElement> events = run.Chunks();
        Assert.Equal(2, events.Count);
        Assert.Equal("api_error", events[1].GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("[DONE]", run.Payloads());
    }

    [Fact]
    public void LinesAfterError_IgnoredAndReturnTrue()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line("""{"error":"boom"}""");
        int written = run.Output.WrittenCount;

        Assert.True(run.Line(Piece("ghost")));
        Assert.True(run.Line(DoneEmpty));

        Assert.Equal(written, run.Output.WrittenCount);
    }

    [Fact]
    public void LinesAfterCompletion_IgnoredAndReturnTrue()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(DoneEmpty);
        int written = run.Output.WrittenCount;

        Assert.True(run.Line(Piece("late")));

        Assert.Equal(written, run.Output.WrittenCount);
        Assert.Equal(StreamState.Completed, run.Translator.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    public void BlankLine_IgnoredAndStreamStaysOpen(string line)
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);

        Assert.False(run.Line(line));

        Assert.Equal(0, run.Output.WrittenCount);
        Assert.Equal(StreamState.Open, run.Translator.State);
    }

    [Fact]
    public void WriteDoneBeforeCompletion_WritesNothing()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("cut off"));
        int written = run.Output.WrittenCount;

        run.Done();

        Assert.Equal(written, run.Output.WrittenCount);
    }

    [Fact]
    public void WriteDoneTwice_WritesOnce()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(DoneEmpty);

        run.Done();
        run.Done();

        Assert.Single(run.Payloads(), p => p == "[DONE]");
        Assert.EndsWith("data: [DONE]\n\n", Encoding.UTF8.GetString(run.Output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteErrorFromCaller_ErrorEventOnceAndFailed()
    {
        var run = new CompletionStreamRun(Id, Created, Model, includeUsage: false);
        run.Line(Piece("partial"));

        run.Translator.WriteError(run.Output, "The upstream server closed the stream early.", "api_error");
        run.Translator.WriteError(run.Output, "second", "api_error");
        run.Done();

        List<JsonElement> events = run.Chunks();
        Assert.Equal(2, events.Count);
        Assert.Equal("The upstream server closed the stream early.", events[1].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(StreamState.Failed, run.Translator.State);
        Assert.DoesNotContain("[DONE]", run.Payloads());
    }

    [Fact]
    public void NewId_CmplPrefixAndLongRandomAlphanumericSuffix()
    {
        string first = CompletionStreamTranslator.NewId();
        string second = CompletionStreamTranslator.NewId();

        Assert.StartsWith("cmpl-", first, StringComparison.Ordinal);
        string suffix = first["cmpl-".Length..];
        Assert.True(suffix.Length >= 24, suffix);
        Assert.All(suffix, c => Assert.True(char.IsAsciiLetterOrDigit(c), suffix));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void OutputBuffer_ReceivesOnlySseFraming()
    {
        // Writes go straight into the caller's buffer writer (HttpResponse.BodyWriter in production).
        var output = new ArrayBufferWriter<byte>();
        var translator = new CompletionStreamTranslator(Id, Created, Model, includeUsage: false);

        translator.TranslateLine(Encoding.UTF8.GetBytes(Piece("x")), output);

        string text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.StartsWith("data: {", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", text, StringComparison.Ordinal);
    }

    private static string Piece(string text) =>
        "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"response\":\"" + JsonEncodedText.Encode(text) + "\",\"done\":false}";

    private static JsonElement Choice(JsonElement chunk) => chunk.GetProperty("choices")[0];

    private static string Text(JsonElement chunk) => Choice(chunk).GetProperty("text").GetString()!;
}
