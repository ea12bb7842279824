using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Responses;

namespace OllamaGateway.Tests.Translation.OpenAI.Responses;

public sealed class ResponsesRequestTranslatorTests
{
    private static ResponsesTranslation Translate(string json)
    {
        var (translation, error) = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.True(error is null, error?.Message);
        return translation!;
    }

    private static TranslationError Refuse(string json)
    {
        var (translation, error) = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.Null(translation);
        return error!;
    }

    private static JsonElement Body(string json) => TranslationJson.Parse(Translate(json).OllamaBody);

    private static JsonElement Messages(string json) => Body(json).GetProperty("messages");

    [Fact]
    public void StringInput_IsOneUserMessage_WithNoInjectedDefaults()
    {
        ResponsesTranslation t = Translate("""{"model":"llama3.2","input":"hi"}""");

        Assert.Equal("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}""", Encoding.UTF8.GetString(t.OllamaBody));
        Assert.Empty(t.Tools);
    }

    [Fact]
    public void Fields_MapToNativeOptionsInstructionsAndUser()
    {
        ResponsesTranslation t = Translate("""
            {"model":"m","input":"hi","instructions":"Be brief.","temperature":0.3,"top_p":0.8,"max_output_tokens":99,"stream":true,"user":"alice"}
            """);
        JsonElement body = TranslationJson.Parse(t.OllamaBody);

        Assert.Equal("""{"temperature":0.3,"top_p":0.8,"num_predict":99}""", body.GetProperty("options").GetRawText());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Be brief.", body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.True(t.Stream);
        Assert.Equal("alice", t.EndUser);
        Assert.DoesNotContain("alice", Encoding.UTF8.GetString(t.OllamaBody), StringComparison.Ordinal);
    }

    [Fact]
    public void Items_BecomeMessagesCallsAndToolResults()
    {
        JsonElement messages = Messages("""
            {"model":"m","input":[
              {"type":"message","role":"developer","content":[{"type":"input_text","text":"Rules."}]},
              {"role":"user","content":[{"type":"input_text","text":"Look"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"}]},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Need the tool."}],"encrypted_content":null},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"},
              {"type":"function_call","call_id":"call_2","name":"get_time","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"Sunny"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"12:00"}]},
              {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"x"}},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Sunny at noon.","annotations":[]}]}]}
            """);

        Assert.Equal(["system", "user", "assistant", "tool", "tool", "assistant"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("iVBORw0KGgo=", messages[1].GetProperty("images")[0].GetString());
        Assert.Equal("Need the tool.", messages[2].GetProperty("thinking").GetString());
        var calls = messages[2].GetProperty("tool_calls");
        Assert.Equal(["call_1", "call_2"], calls.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("""{"city":"Paris"}""", calls[0].GetProperty("function").GetProperty("arguments").GetRawText());
        Assert.Equal("get_weather", messages[3].GetProperty("tool_name").GetString());
        Assert.Equal("12:00", messages[4].GetProperty("content").GetString());
        Assert.Equal("Sunny at noon.", messages[5].GetProperty("content").GetString());
    }

    [Fact]
    public void CustomAndNamespaceTools_BecomeFunctions_AndTheirCallsRoundTrip()
    {
        ResponsesTranslation t = Translate("""
            {"model":"m","tools":[
              {"type":"custom","name":"apply_patch","description":"Edit files.","format":{"type":"grammar","syntax":"lark","definition":"start: x"}},
              {"type":"namespace","name":"mcp__docs","tools":[{"type":"function","name":"search","parameters":{"type":"object"}}]},
              {"type":"web_search","external_web_access":false}],
             "input":[{"role":"user","content":"patch"},
              {"type":"custom_tool_call","call_id":"call_p","name":"apply_patch","input":"*** Begin Patch"},
              {"type":"custom_tool_call_output","call_id":"call_p","output":"Done"},
              {"type":"function_call","call_id":"call_s","name":"search","namespace":"mcp__docs","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_s","output":"Found"}]}
            """);
        JsonElement body = TranslationJson.Parse(t.OllamaBody);

        var tools = body.GetProperty("tools");
        Assert.Equal(["apply_patch", "mcp__docs.search"], tools.EnumerateArray().Select(x => x.GetProperty("function").GetProperty("name").GetString()));
        Assert.Contains("lark grammar", tools[0].GetProperty("function").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("string", tools[0].GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.Equal(ResponsesToolKind.Custom, t.Tools["apply_patch"].Kind);
        Assert.Equal("mcp__docs", t.Tools["mcp__docs.search"].Namespace);

        var messages = body.GetProperty("messages");
        Assert.Equal("*** Begin Patch", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetProperty("input").GetString());
        Assert.Equal("apply_patch", messages[2].GetProperty("tool_name").GetString());
        Assert.Equal("mcp__docs.search", messages[3].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("mcp__docs.search", messages[4].GetProperty("tool_name").GetString());
    }

    [Theory]
    [InlineData("""{"type":"json_object"}""", "\"json\"")]
    [InlineData("""{"type":"json_schema","name":"x","strict":true,"schema":{"type":"object"}}""", """{"type":"object"}""")]
    public void TextFormat_BecomesNativeFormat(string format, string expected)
    {
        Assert.Equal(expected, Body("""{"model":"m","input":"hi","text":{"verbosity":"low","format":""" + format + "}}").GetProperty("format").GetRawText());
    }

    [Theory]
    [InlineData("none", "false")]
    [InlineData("minimal", "\"low\"")]
    [InlineData("medium", "\"medium\"")]
    [InlineData("xhigh", "\"max\"")]
    public void ReasoningEffort_BecomesThink(string effort, string think)
    {
        Assert.Equal(think, Body("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"" + effort + "\",\"summary\":\"auto\"}}").GetProperty("think").GetRawText());
    }

    [Fact]
    public void CodexBookkeeping_IsAcceptedAndDropped()
    {
        JsonElement body = Body("""
            {"model":"m","input":"hi","store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"c1","parallel_tool_calls":false,
             "text":{"verbosity":"low"},"service_tier":"auto","truncation":"auto","safety_identifier":"s","metadata":{"k":"v"},"tool_choice":"auto",
             "stream_options":{"include_obfuscation":false},"previous_response_id":null,"background":false}
            """);

        Assert.Equal(["model", "messages", "stream"], body.Names());
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"model":"m","input":"hi","conversation":"conv_1"}""", "conversation")]
    [InlineData("""{"model":"m","input":"hi","background":true}""", "background")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0].type")]
    [InlineData("""{"model":"m","input":"hi","tools":[{"type":"file_search","vector_store_ids":["vs_1"]}]}""", "'file_search'")]
    [InlineData("""{"model":"m","input":"hi","tools":[{"type":"code_interpreter","container":{"type":"auto"}}]}""", "'code_interpreter'")]
    [InlineData("""{"model":"m","input":"hi","tools":[{"type":"image_generation"}]}""", "'image_generation'")]
    [InlineData("""{"model":"m","input":"hi","tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"model":"m","input":"hi","tool_choice":{"type":"function","name":"f"}}""", "tool_choice")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"file_1"}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"https://x/y.png"}]}]}""", "input[0].content[0].image_url")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"nope","output":"x"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"not json"}]}""", "input[0].arguments")]
    [InlineData("""{"model":"m","input":"hi","reasoning":{"effort":"extreme"}}""", "reasoning.effort")]
    [InlineData("""{"model":"m","input":"hi","prompt":{"id":"pmpt_1"}}""", "prompt")]
    [InlineData("""{"model":"m","input":"hi","frequency_penalty":1}""", "frequency_penalty")]
    [InlineData("""{"model":"m","Input":"hi"}""", "Input")]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    public void WhatCannotBeHonoured_IsRefusedNamingIt(string json, string named)
    {
        Assert.Contains(named, Refuse(json).Message, StringComparison.Ordinal);
    }
}
