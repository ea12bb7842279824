using System.Text.Json;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatStreamLogprobsTests
{
    private const string Done =
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":2}""";

    [Fact]
    public void EachContentChunk_CarriesItsLinesTokens()
    {
        var run = new StreamRun("chatcmpl-1", 1, "m", includeUsage: false, logprobs: true);
        run.Line(Line("""{"role":"assistant","content":"Hi"}""", Entry("Hi", -0.25, top: """,{"token":"Hey","logprob":-2}""")));
        run.Line(Line("""{"role":"assistant","content":" there"}""", Entry(" there", -0.5)));
        run.Line(Done);
        run.Done();

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(3, chunks.Count);

        JsonElement first = Logprobs(chunks[0]);
        Assert.Equal(["content", "refusal"], first.Names());
        JsonElement hi = Assert.Single(first.GetProperty("content").EnumerateArray());
        Assert.Equal("Hi", hi.GetProperty("token").GetString());
        Assert.Equal(-0.25, hi.GetProperty("logprob").GetDouble());
        Assert.Equal(["Hi", "Hey"], hi.GetProperty("top_logprobs").EnumerateArray().Select(t => t.GetProperty("token").GetString()));

        JsonElement there = Assert.Single(Logprobs(chunks[1]).GetProperty("content").EnumerateArray());
        Assert.Equal(" there", there.GetProperty("token").GetString());

        // The finish chunk has no tokens of its own.
        Assert.Equal(JsonValueKind.Null, Logprobs(chunks[2]).ValueKind);
    }

    [Fact]
    public void NotRequested_EveryChunkNull()
    {
        var run = new StreamRun("chatcmpl-1", 1, "m", includeUsage: false);
        run.Line(Line("""{"role":"assistant","content":"Hi"}""", Entry("Hi", -0.25)));
        run.Line(Done);

        Assert.All(run.Chunks(), c => Assert.Equal(JsonValueKind.Null, Logprobs(c).ValueKind));
    }

    [Fact]
    public void ThinkingOnlyLine_TokensOnTheReasoningChunk()
    {
        var run = new StreamRun("chatcmpl-1", 1, "m", includeUsage: false, logprobs: true);
        run.Line(Line("""{"role":"assistant","content":""}""", null));
        run.Line(Line("""{"role":"assistant","content":"","thinking":"hmm"}""", Entry("hmm", -1)));
        run.Line(Done);

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(3, chunks.Count);
        Assert.Equal(JsonValueKind.Null, Logprobs(chunks[0]).ValueKind);
        Assert.Equal("hmm", Delta(chunks[1]).GetProperty("reasoning").GetString());
        Assert.Equal("hmm", Logprobs(chunks[1]).GetProperty("content")[0].GetProperty("token").GetString());
    }

    [Fact]
    public void ToolCallLine_TokensOnTheToolCallChunk()
    {
        var run = new StreamRun("chatcmpl-1", 1, "m", includeUsage: false, logprobs: true);
        run.Line(Line(
            """{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"index":0,"name":"f","arguments":{}}}]}""",
            Entry("<call>", -0.1)));
        run.Line(Done);

        List<JsonElement> chunks = run.Chunks();
        Assert.True(Delta(chunks[0]).Has("tool_calls"));
        Assert.Equal("<call>", Logprobs(chunks[0]).GetProperty("content")[0].GetProperty("token").GetString());
    }

    [Fact]
    public void LineWithOnlyTokens_SentAsEmptyContentChunkSoNoneAreLost()
    {
        var run = new StreamRun("chatcmpl-1", 1, "m", includeUsage: false, logprobs: true);
        run.Line(Line("""{"role":"assistant","content":"a"}""", Entry("a", -0.1)));
        run.Line(Line("""{"role":"assistant","content":""}""", Entry("<|tag|>", -0.2)));
        run.Line(Done);

        List<JsonElement> chunks = run.Chunks();
        Assert.Equal(3, chunks.Count);
        Assert.Equal("", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Equal("<|tag|>", Logprobs(chunks[1]).GetProperty("content")[0].GetProperty("token").GetString());
    }

    [Fact]
    public void MalformedRequestedLogprobs_ErrorEvent()
    {
        var run = new StreamRun("chatcmpl-1", 1, "m", includeUsage: false, logprobs: true);

        Assert.True(run.Line("""{"message":{"role":"assistant","content":"a"},"done":false,"logprobs":[{"token":"a"}]}"""));

        Assert.True(Assert.Single(run.Chunks()).Has("error"));
    }

    private static string Entry(string token, double logprob, string top = "") =>
        $$"""{"token":{{JsonSerializer.Serialize(token)}},"logprob":{{logprob.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"top_logprobs":[{"token":{{JsonSerializer.Serialize(token)}},"logprob":{{logprob.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}{{top}}]}""";

    private static string Line(string message, string? entry) =>
        $$"""{"model":"m","created_at":"t","message":{{message}},"done":false{{(entry is null ? "" : $",\"logprobs\":[{entry}]")}}}""";

    private static JsonElement Choice(JsonElement chunk) => chunk.GetProperty("choices")[0];

    private static JsonElement Delta(JsonElement chunk) => Choice(chunk).GetProperty("delta");

    private static JsonElement Logprobs(JsonElement chunk) => Choice(chunk).GetProperty("logprobs");
}
