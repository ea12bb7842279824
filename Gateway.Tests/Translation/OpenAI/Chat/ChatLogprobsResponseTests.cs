using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatLogprobsResponseTests
{
    private const string Id = "chatcmpl-lp";
    private const long Created = 1741000123;

    private const string WithLogprobs = """
        {"model":"m","message":{"role":"assistant","content":"Hi there"},"done":true,"done_reason":"stop","eval_count":2,
         "logprobs":[
           {"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105]},{"token":"Hey","logprob":-1.5,"bytes":[72,101,121]}]},
           {"token":" there","logprob":-0.5,"bytes":[32,116,104,101,114,101],"top_logprobs":[{"token":" there","logprob":-0.5,"bytes":[32,116,104,101,114,101]}]}]}
        """;

    [Fact]
    public void Requested_ContentCarriesEveryTokenWithAlternatives()
    {
        JsonElement choice = Choice(WithLogprobs, logprobs: true);

        Assert.Equal(["index", "message", "logprobs", "finish_reason"], choice.Names());
        JsonElement logprobs = choice.GetProperty("logprobs");
        Assert.Equal(["content", "refusal"], logprobs.Names());
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("refusal").ValueKind);

        JsonElement[] content = [.. logprobs.GetProperty("content").EnumerateArray()];
        Assert.Equal(2, content.Length);
        Assert.Equal(["token", "logprob", "bytes", "top_logprobs"], content[0].Names());
        Assert.Equal("Hi", content[0].GetProperty("token").GetString());
        Assert.Equal(-0.25, content[0].GetProperty("logprob").GetDouble());
        Assert.Equal([72, 105], content[0].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));

        JsonElement[] top = [.. content[0].GetProperty("top_logprobs").EnumerateArray()];
        Assert.Equal(2, top.Length);
        Assert.Equal(["token", "logprob", "bytes"], top[1].Names());
        Assert.Equal("Hey", top[1].GetProperty("token").GetString());
        Assert.Equal(-1.5, top[1].GetProperty("logprob").GetDouble());
        Assert.Equal([72, 101, 121], top[1].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));

        Assert.Equal(" there", content[1].GetProperty("token").GetString());
        Assert.Single(content[1].GetProperty("top_logprobs").EnumerateArray());
    }

    [Fact]
    public void NotRequested_LogprobsNullEvenIfUpstreamSentThem()
    {
        Assert.Equal(JsonValueKind.Null, Choice(WithLogprobs, logprobs: false).GetProperty("logprobs").ValueKind);
    }

    [Fact]
    public void RequestedButUpstreamSentNone_EmptyContent()
    {
        // An Ollama older than v0.12.11 ignores the request field: the client sees it asked and got nothing.
        JsonElement choice = Choice("""{"message":{"role":"assistant","content":"x"},"done":true}""", logprobs: true);

        Assert.Empty(choice.GetProperty("logprobs").GetProperty("content").EnumerateArray());
    }

    [Fact]
    public void OmittedBytesAndTopLogprobs_NullBytesAndEmptyAlternatives()
    {
        // Go's omitempty drops an empty bytes slice and top_logprobs when none were asked for.
        JsonElement entry = Choice(
            """{"message":{"role":"assistant","content":""},"done":true,"logprobs":[{"token":"","logprob":-3}]}""",
            logprobs: true).GetProperty("logprobs").GetProperty("content")[0];

        Assert.Equal(JsonValueKind.Null, entry.GetProperty("bytes").ValueKind);
        Assert.Empty(entry.GetProperty("top_logprobs").EnumerateArray());
    }

    [Fact]
    public void PartialUtf8Token_BytesKeptExactly()
    {
        // The first half of "é": Go writes the text as U+FFFD, the bytes say what it really was.
        JsonElement entry = Choice(
            """{"message":{"role":"assistant","content":"é"},"done":true,"logprobs":[{"token":"\ufffd","logprob":-0.1,"bytes":[195]}]}""",
            logprobs: true).GetProperty("logprobs").GetProperty("content")[0];

        Assert.Equal("\ufffd", entry.GetProperty("token").GetString());
        Assert.Equal([195], entry.GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));
    }

    [Theory]
    [InlineData("""{"token":"x"}""")]
    [InlineData("""{"logprob":-1}""")]
    [InlineData("""{"token":1,"logprob":-1}""")]
    [InlineData("""{"token":"x","logprob":"-1"}""")]
    [InlineData("""{"token":"x","logprob":-1,"bytes":[256]}""")]
    [InlineData("""{"token":"x","logprob":-1,"bytes":"eA=="}""")]
    [InlineData("""{"token":"x","logprob":-1,"top_logprobs":{}}""")]
    [InlineData("""{"token":"x","logprob":-1,"top_logprobs":[{"token":"y"}]}""")]
    [InlineData("\"x\"")]
    public void MalformedRequestedLogprobs_ReportedNotGuessed(string entry)
    {
        bool ok = ChatResponseTranslator.TryTranslate(
            Encoding.UTF8.GetBytes($$"""{"message":{"role":"assistant","content":"x"},"done":true,"logprobs":[{{entry}}]}"""),
            Id, Created, "m", logprobs: true, out byte[]? body, out string? error);

        Assert.False(ok);
        Assert.Null(body);
        Assert.Contains("not a valid Ollama chat object", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedUnrequestedLogprobs_Ignored()
    {
        JsonElement choice = Choice(
            """{"message":{"role":"assistant","content":"x"},"done":true,"logprobs":[{"token":1}]}""", logprobs: false);

        Assert.Equal("x", choice.GetProperty("message").GetProperty("content").GetString());
    }

    private static JsonElement Choice(string ollama, bool logprobs) =>
        TranslationJson.Parse(ChatResponseTranslator.Translate(Encoding.UTF8.GetBytes(ollama), Id, Created, "m", logprobs))
            .GetProperty("choices")[0];
}
