using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.Anthropic;

namespace OllamaGateway.Tests.Translation.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    private static AnthropicTranslation Translate(string json)
    {
        var (translation, error) = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.True(error is null, error?.Message);
        return translation!;
    }

    private static TranslationError Refuse(string json)
    {
        var (translation, error) = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.Null(translation);
        return error!;
    }

    private static JsonElement Body(string json) => TranslationJson.Parse(Translate(json).OllamaBody);

    private static JsonElement Messages(string json) => Body(json).GetProperty("messages");

    [Fact]
    public void MinimalRequest_WritesMaxTokensAsNumPredictAndThinkingOff()
    {
        AnthropicTranslation t = Translate("""{"model":"llama3.2","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(
            """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false,"options":{"num_predict":64},"think":false}""",
            Encoding.UTF8.GetString(t.OllamaBody));
        Assert.Equal("llama3.2", t.Model);
        Assert.False(t.Stream);
        Assert.Null(t.EndUser);
        Assert.Null(t.LocalAnswer);
    }

    [Fact]
    public void Samplers_MapIntoOptions()
    {
        JsonElement options = Body("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END","\n\n"]}
            """).GetProperty("options");

        Assert.Equal("""{"temperature":0.5,"top_p":0.9,"top_k":40,"num_predict":10,"stop":["END","\n\n"]}""", options.GetRawText());
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":10000}""")]
    [InlineData("""{"type":"adaptive"}""")]
    public void ThinkingOn_LeavesThinkToTheModel(string thinking)
    {
        // think:true would be a 400 on a model without thinking; absent, a thinking model thinks and another answers.
        Assert.False(Body("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"thinking":""" + thinking + "}").Has("think"));
    }

    [Fact]
    public void ThinkingDisabled_IsThinkFalse()
    {
        Assert.False(Body("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"disabled"}}""").GetProperty("think").GetBoolean());
    }

    [Fact]
    public void SystemBlocks_AreJoinedIntoOneLeadingSystemMessage()
    {
        JsonElement messages = Messages("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
             "system":[{"type":"text","text":"You are helpful."},{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","scope":"global"}}]}
            """);

        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("You are helpful.\nBe brief.", messages[0].GetProperty("content").GetString());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
    }

    [Fact]
    public void MetadataUserId_IsTheEndUser_AndNeverSentToOllama()
    {
        AnthropicTranslation t = Translate("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":"user_42"}}""");

        Assert.Equal("user_42", t.EndUser);
        Assert.DoesNotContain("user_42", Encoding.UTF8.GetString(t.OllamaBody), StringComparison.Ordinal);
    }

    [Fact]
    public void ToolUseAndToolResult_BecomeNativeCallsAndANamedToolMessageBeforeTheText()
    {
        JsonElement messages = Messages("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"Need the tool.","signature":""},
                {"type":"text","text":"Let me look."},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","unit":"c"}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Sunny"}],"is_error":false,"cache_control":{"type":"ephemeral"}},
                {"type":"text","text":"And tomorrow?"}]}]}
            """);

        JsonElement assistant = messages[1];
        Assert.Equal("Let me look.", assistant.GetProperty("content").GetString());
        Assert.Equal("Need the tool.", assistant.GetProperty("thinking").GetString());
        JsonElement call = assistant.GetProperty("tool_calls")[0];
        Assert.Equal("toolu_1", call.GetProperty("id").GetString());
        Assert.Equal("""{"city":"Paris","unit":"c"}""", call.GetProperty("function").GetProperty("arguments").GetRawText());

        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("Sunny", messages[2].GetProperty("content").GetString());
        Assert.Equal("get_weather", messages[2].GetProperty("tool_name").GetString());
        Assert.Equal("toolu_1", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("user", messages[3].GetProperty("role").GetString());
        Assert.Equal("And tomorrow?", messages[3].GetProperty("content").GetString());
    }

    [Fact]
    public void Tools_BecomeNativeFunctions_AndToolChoiceNoneDropsThem()
    {
        const string Tools = """[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}},"cache_control":{"type":"ephemeral"},"strict":true}]""";
        JsonElement tool = Body($$$$"""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":{{{{Tools}}}},"tool_choice":{"type":"auto","disable_parallel_tool_use":true}}""").GetProperty("tools")[0];

        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("object", tool.GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
        Assert.False(Body($$$$"""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":{{{{Tools}}}},"tool_choice":{"type":"none"}}""").Has("tools"));
    }

    [Fact]
    public void Base64Image_GoesToImages()
    {
        JsonElement user = Messages("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"text","text":"What is it?"}]}]}
            """)[0];

        Assert.Equal("iVBORw0KGgo=", user.GetProperty("images")[0].GetString());
        Assert.Equal("What is it?", user.GetProperty("content").GetString());
    }

    [Fact]
    public void OutputConfigFormat_BecomesNativeFormat_AndEffortHasNoEffect()
    {
        JsonElement body = Body("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"output_config":{"effort":"high","format":{"type":"json_schema","schema":{"type":"object"}}}}
            """);

        Assert.Equal("""{"type":"object"}""", body.GetProperty("format").GetRawText());
        Assert.False(body.GetProperty("think").GetBoolean());
    }

    [Fact]
    public void BookkeepingFields_AreAcceptedAndDropped()
    {
        JsonElement body = Body("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"cache_control":{"type":"ephemeral"},
             "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},"service_tier":"auto",
             "inference_geo":"us","speed":"fast","diagnostics":{"previous_message_id":"msg_1"},"container":null,"mcp_servers":[],
             "metadata":{"user_id":"u"}}
            """);

        Assert.Equal(["model", "messages", "stream", "options", "think"], body.Names());
    }

    [Fact]
    public void RedactedThinking_IsDropped_AndSystemRoleMessagesAreKept()
    {
        JsonElement messages = Messages("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"},
             {"role":"assistant","content":[{"type":"redacted_thinking","data":"abc"},{"type":"text","text":"Hello"}]},
             {"role":"system","content":"Be brief."},{"role":"user","content":"again"}]}
            """);

        Assert.Equal(["user", "assistant", "system", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.False(messages[1].Has("thinking"));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m","max_tokens":10}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[]}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"any"}}""", "tool_choice.type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool","name":"x"}}""", "tool_choice.type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools[0].type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"bash_20250124","name":"bash"}]}""", "tools[0].type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"container":"cntr_1"}""", "container")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"mcp_servers":[{"type":"url","url":"https://x","name":"x"}]}""", "mcp_servers")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}""", "messages[0].content[0].source.type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"r"}]}]}""", "messages[0].content[0].tool_use_id")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"n","input":{}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"logit_bias":{}}""", "logit_bias")]
    [InlineData("""{"model":"m","MODEL":"n","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "MODEL")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"sometimes"}}""", "thinking.type")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi","citations":[]}]}""", "messages[0].citations")]
    public void WhatCannotBeHonoured_IsRefusedNamingIt(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Contains(param, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountTokens_IsAnEstimateOfWhatTheModelReads_AndNeedsNoMaxTokens()
    {
        var (request, error) = AnthropicCountTokensTranslator.Instance.Translate(Encoding.UTF8.GetBytes(
            """{"model":"m","system":"abcd","messages":[{"role":"user","content":"12345678"}],"tools":[{"name":"t","input_schema":{"type":"object"}}]}"""));

        Assert.Null(error);
        // 4 + 8 characters of text, 1 + 17 of the tool: 30 characters, 8 tokens (rounded up).
        Assert.Equal("""{"input_tokens":8}""", Encoding.UTF8.GetString(request!.LocalAnswer!));
    }
}
