using System.Text.Json;
using OllamaGateway.Translation;

namespace OllamaGateway.Tests.Translation.OpenAI.Responses;

public sealed class ResponsesStreamTranslatorTests
{
    private const string Done = """{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":12,"eval_count":5}""";

    private static string Content(string text) => $$"""{"model":"m","message":{"role":"assistant","content":"{{text}}"},"done":false}""";

    private static string Thinking(string text) => $$"""{"model":"m","message":{"role":"assistant","content":"","thinking":"{{text}}"},"done":false}""";

    private static string Call(string name, string arguments) =>
        $$$"""{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_abc","function":{"name":"{{{name}}}","arguments":{{{arguments}}}}}]},"done":false}""";

    [Fact]
    public void Text_IsTheFullEventSequence()
    {
        var run = new ResponsesStreamRun();
        run.Line(Content("Hello"));
        run.Line(Content(" world"));
        Assert.True(run.Line(Done));

        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed",
        ], run.Names());
        var events = run.Events();
        var created = events[0].GetProperty("response");
        Assert.Equal("resp_test", created.GetProperty("id").GetString());
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("usage").ValueKind);
        string itemId = events[2].GetProperty("item").GetProperty("id").GetString()!;
        Assert.StartsWith("msg_", itemId, StringComparison.Ordinal);
        Assert.All(events.Skip(3).Take(5), e => Assert.Equal(itemId, e.GetProperty("item_id").GetString()));
        Assert.Equal("Hello world", events[6].GetProperty("text").GetString());
        Assert.Equal("completed", events[8].GetProperty("item").GetProperty("status").GetString());
        var completed = events[^1].GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(itemId, completed.GetProperty("output")[0].GetProperty("id").GetString());
        Assert.Equal("Hello world", completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(17, completed.GetProperty("usage").GetProperty("total_tokens").GetInt64());
        Assert.Equal(new TokenUsage(12, 5), run.Translator.Usage);
        Assert.Equal(StreamState.Completed, run.Translator.State);
    }

    [Fact]
    public void ReasoningThenText_AreTwoItems_WithTheSummaryPartEvents()
    {
        var run = new ResponsesStreamRun();
        run.Line(Thinking("Hmm."));
        run.Line(Content("Hi"));
        run.Line(Done);

        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done",
            "response.content_part.done", "response.output_item.done", "response.completed",
        ], run.Names());
        var events = run.Events();
        Assert.Equal(0, events[4].GetProperty("summary_index").GetInt32());
        Assert.Equal("Hmm.", events[7].GetProperty("item").GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal(1, events[8].GetProperty("output_index").GetInt32());
    }

    [Fact]
    public void TextThenCall_ClosesTheMessageBeforeTheCall_AtTheNextIndex()
    {
        var run = new ResponsesStreamRun("""{"model":"m","input":"hi","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}""");
        run.Line(Content("Looking."));
        run.Line(Call("get_weather", """{"city":"Paris"}"""));
        run.Line(Done);

        var events = run.Events();
        var names = run.Names();
        int added = names.LastIndexOf("response.output_item.added");
        Assert.True(names.IndexOf("response.output_item.done") < added);
        Assert.Equal(1, events[added].GetProperty("output_index").GetInt32());
        var item = events[added].GetProperty("item");
        Assert.Equal("function_call", item.GetProperty("type").GetString());
        Assert.Equal("call_abc", item.GetProperty("call_id").GetString());
        Assert.Equal("", item.GetProperty("arguments").GetString());
        Assert.Equal("""{"city":"Paris"}""", events[added + 1].GetProperty("delta").GetString());
        Assert.Equal("get_weather", events[added + 2].GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", events[added + 2].GetProperty("arguments").GetString());
        var output = events[^1].GetProperty("response").GetProperty("output");
        Assert.Equal(["message", "function_call"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
    }

    [Fact]
    public void CustomAndNamespaceCalls_AreAnsweredInTheirOwnShapes()
    {
        var run = new ResponsesStreamRun("""
            {"model":"m","input":"hi","tools":[{"type":"custom","name":"apply_patch"},
             {"type":"namespace","name":"mcp__docs","tools":[{"type":"function","name":"search"}]}]}
            """);
        run.Line(Call("apply_patch", """{"input":"*** Begin Patch"}"""));
        run.Line(Call("mcp__docs.search", """{"query":"x"}"""));
        run.Line(Done);

        var names = run.Names();
        Assert.Contains("response.custom_tool_call_input.delta", names);
        Assert.Contains("response.custom_tool_call_input.done", names);
        var output = run.Events()[^1].GetProperty("response").GetProperty("output");
        Assert.Equal("custom_tool_call", output[0].GetProperty("type").GetString());
        Assert.Equal("*** Begin Patch", output[0].GetProperty("input").GetString());
        Assert.StartsWith("ctc_", output[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function_call", output[1].GetProperty("type").GetString());
        Assert.Equal("search", output[1].GetProperty("name").GetString());
        Assert.Equal("mcp__docs", output[1].GetProperty("namespace").GetString());
    }

    [Fact]
    public void LengthCut_IsIncomplete()
    {
        var run = new ResponsesStreamRun();
        run.Line(Content("Hel"));
        run.Line("""{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","prompt_eval_count":3,"eval_count":1}""");

        var events = run.Events();
        Assert.Equal("response.incomplete", events[^1].GetProperty("type").GetString());
        var response = events[^1].GetProperty("response");
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("incomplete", response.GetProperty("output")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void OllamaErrorLine_IsErrorThenResponseFailed()
    {
        var run = new ResponsesStreamRun();
        run.Line(Content("Hel"));
        Assert.True(run.Line("""{"error":"model runner stopped"}"""));

        var events = run.Events();
        Assert.Equal("error", events[^2].GetProperty("type").GetString());
        Assert.Equal("server_error", events[^2].GetProperty("code").GetString());
        Assert.Equal("model runner stopped", events[^2].GetProperty("message").GetString());
        var failed = events[^1].GetProperty("response");
        Assert.Equal("response.failed", events[^1].GetProperty("type").GetString());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("model runner stopped", failed.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(StreamState.Failed, run.Translator.State);
    }

    [Fact]
    public void BrokenOffBeforeAnyLine_StillOpensAndFails()
    {
        var run = new ResponsesStreamRun();
        run.Translator.WriteError(run.Output, "Ollama stopped sending data for longer than the idle timeout.");

        Assert.Equal(["response.created", "response.in_progress", "error", "response.failed"], run.Names());
    }
}
