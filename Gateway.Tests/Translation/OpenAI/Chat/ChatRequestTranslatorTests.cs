using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatRequestTranslatorTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    [Fact]
    public void MinimalRequest_WritesModelMessagesAndExplicitStreamFalseOnly()
    {
        ChatTranslation t = Translate($$"""{"model":"llama3.2","messages":{{UserHi}} }""");

        Assert.Equal(
            """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}""",
            Encoding.UTF8.GetString(t.OllamaBody));
        Assert.Equal("llama3.2", t.Model);
        Assert.False(t.Stream);
        Assert.False(t.IncludeUsage);
        Assert.Null(t.User);
    }

    [Fact]
    public void EverySamplerField_MapsIntoOptions()
    {
        ChatTranslation t = Translate($$"""
            {"model":"m","messages":{{UserHi}},"temperature":0.25,"top_p":0.9,"max_tokens":64,"seed":42,
             "presence_penalty":0.5,"frequency_penalty":-0.75,"stop":"\n\n"}
            """);

        Assert.Equal(
            """{"temperature":0.25,"top_p":0.9,"num_predict":64,"stop":["\n\n"],"seed":42,"presence_penalty":0.5,"frequency_penalty":-0.75}""",
            Options(t).GetRawText());
    }

    [Fact]
    public void NoSamplerFields_SendsNoOptionsAndNoInjectedDefaults()
    {
        JsonElement body = Body(Translate($$"""{"model":"m","messages":{{UserHi}},"stream":true}"""));

        Assert.Equal(["model", "messages", "stream"], body.Names());
    }

    [Fact]
    public void OneSamplerField_SendsOnlyThatOption()
    {
        JsonElement options = Options(Translate($$"""{"model":"m","messages":{{UserHi}},"top_p":0.5}"""));

        Assert.Equal(["top_p"], options.Names());
        Assert.Equal(0.5, options.GetProperty("top_p").GetDouble());
    }

    [Fact]
    public void ZeroValues_AreSentNotDropped()
    {
        JsonElement options = Options(Translate($$"""
            {"model":"m","messages":{{UserHi}},"temperature":0,"seed":0,"presence_penalty":0,"frequency_penalty":0}
            """));

        Assert.Equal(["temperature", "seed", "presence_penalty", "frequency_penalty"], options.Names());
    }

    [Fact]
    public void MaxCompletionTokensAlone_MapsToNumPredict()
    {
        JsonElement options = Options(Translate($$"""{"model":"m","messages":{{UserHi}},"max_completion_tokens":100}"""));

        Assert.Equal(100, options.GetProperty("num_predict").GetInt32());
    }

    [Theory]
    [InlineData("""{"max_tokens":10,"max_completion_tokens":20}""")]
    [InlineData("""{"max_completion_tokens":20,"max_tokens":10}""")]
    public void MaxTokensAndMaxCompletionTokens_MaxCompletionTokensWins(string limits)
    {
        string json = $$"""{"model":"m","messages":{{UserHi}},{{limits[1..^1]}} }""";

        Assert.Equal(20, Options(Translate(json)).GetProperty("num_predict").GetInt32());
    }

    [Fact]
    public void MaxCompletionTokensNullAndMaxTokens_MaxTokensUsed()
    {
        string json = $$"""{"model":"m","messages":{{UserHi}},"max_tokens":10,"max_completion_tokens":null}""";

        Assert.Equal(10, Options(Translate(json)).GetProperty("num_predict").GetInt32());
    }

    [Fact]
    public void StopString_BecomesOneItemArray()
    {
        JsonElement stop = Options(Translate($$"""{"model":"m","messages":{{UserHi}},"stop":"END"}""")).GetProperty("stop");

        Assert.Equal(JsonValueKind.Array, stop.ValueKind);
        Assert.Equal(["END"], stop.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void StopArray_KeptInOrder()
    {
        JsonElement stop = Options(Translate($$"""{"model":"m","messages":{{UserHi}},"stop":["b","a","\u00e9"]}""")).GetProperty("stop");

        Assert.Equal(["b", "a", "é"], stop.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void StopEmptyArray_SendsNoStopSoModelStopsStillApply()
    {
        JsonElement body = Body(Translate($$"""{"model":"m","messages":{{UserHi}},"stop":[]}"""));

        Assert.False(body.Has("options"));
    }

    [Fact]
    public void DeveloperRole_BecomesSystem()
    {
        JsonElement messages = Body(Translate("""
            {"model":"m","messages":[{"role":"developer","content":"be brief"},{"role":"user","content":"hi"}]}
            """)).GetProperty("messages");

        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("be brief", messages[0].GetProperty("content").GetString());
    }

    [Fact]
    public void AllNativeRoles_PassThroughInOrder()
    {
        JsonElement messages = Body(Translate("""
            {"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},
             {"role":"assistant","content":"a","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","content":"t","tool_call_id":"call_1"}]}
            """)).GetProperty("messages");

        Assert.Equal(["system", "user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(["s", "u", "a", "t"], messages.EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.False(messages[0].Has("tool_call_id"));
    }

    [Fact]
    public void TextParts_JoinedIntoOneMessageWithNewlines()
    {
        JsonElement messages = Body(Translate("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"one"},{"text":"two","type":"text"}]}]}
            """)).GetProperty("messages");

        Assert.Equal(1, messages.GetArrayLength());
        Assert.Equal("one\ntwo", messages[0].GetProperty("content").GetString());
    }

    [Fact]
    public void MessageName_AcceptedAndDropped()
    {
        JsonElement message = Body(Translate("""{"model":"m","messages":[{"role":"user","content":"hi","name":"alice"}]}"""))
            .GetProperty("messages")[0];

        Assert.Equal(["role", "content"], message.Names());
    }

    [Fact]
    public void StreamTrueWithIncludeUsage_StreamSentAndUsageRequested()
    {
        ChatTranslation t = Translate($$"""
            {"model":"m","messages":{{UserHi}},"stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false} }
            """);

        Assert.True(t.Stream);
        Assert.True(t.IncludeUsage);
        Assert.True(Body(t).GetProperty("stream").GetBoolean());
        Assert.False(Body(t).Has("stream_options"));
    }

    [Fact]
    public void IncludeUsageWithoutStream_IsNotReported()
    {
        ChatTranslation t = Translate($$"""{"model":"m","messages":{{UserHi}},"stream_options":{"include_usage":true} }""");

        Assert.False(t.Stream);
        Assert.False(t.IncludeUsage);
    }

    [Fact]
    public void User_ReturnedButNotForwarded()
    {
        ChatTranslation t = Translate($$"""{"model":"m","messages":{{UserHi}},"user":"user-123"}""");

        Assert.Equal("user-123", t.User);
        Assert.DoesNotContain("user-123", Encoding.UTF8.GetString(t.OllamaBody), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("store", "true")]
    [InlineData("metadata", """{"k":"v"}""")]
    [InlineData("service_tier", "\"auto\"")]
    [InlineData("parallel_tool_calls", "false")]
    [InlineData("prompt_cache_key", "\"abc\"")]
    [InlineData("safety_identifier", "\"hash\"")]
    public void PlatformOnlyField_AcceptedAndNotForwarded(string field, string value)
    {
        JsonElement body = Body(Translate($$"""{"model":"m","{{field}}":{{value}},"messages":{{UserHi}} }"""));

        Assert.Equal(["model", "messages", "stream"], body.Names());
    }

    [Fact]
    public void NullValues_MeanAbsent()
    {
        ChatTranslation t = Translate($$"""
            {"model":"m","messages":{{UserHi}},"temperature":null,"top_p":null,"max_tokens":null,"max_completion_tokens":null,
             "stop":null,"seed":null,"presence_penalty":null,"frequency_penalty":null,"stream":null,"stream_options":null,
             "n":null,"user":null}
            """);

        Assert.Equal(["model", "messages", "stream"], Body(t).Names());
        Assert.False(Body(t).GetProperty("stream").GetBoolean());
        Assert.Null(t.User);
    }

    [Fact]
    public void NEqualsOne_Accepted()
    {
        ChatTranslation t = Translate($$"""{"model":"m","messages":{{UserHi}},"n":1}""");

        Assert.False(Body(t).Has("n"));
    }

    [Fact]
    public void ModelName_ForwardedAndReturnedExactlyAsSent()
    {
        ChatTranslation t = Translate($$"""{"model":"hf.co/Org/Repo:Q4_K_M","messages":{{UserHi}} }""");

        Assert.Equal("hf.co/Org/Repo:Q4_K_M", t.Model);
        Assert.Equal("hf.co/Org/Repo:Q4_K_M", Body(t).GetProperty("model").GetString());
    }

    [Fact]
    public void MultiByteContent_SurvivesIncludingEscapedForms()
    {
        JsonElement content = Body(Translate("""
            {"model":"m","messages":[{"role":"user","content":"héllo 🦙 \u00e9\ud83e\udd99 \"q\"\n"}]}
            """)).GetProperty("messages")[0].GetProperty("content");

        Assert.Equal("héllo 🦙 é🦙 \"q\"\n", content.GetString());
    }

    [Fact]
    public void ClientOnlyKeysInsideMessages_NeverReachTheNativeBody()
    {
        // The body is re-serialised from checked values: the client's spacing and key order are not kept.
        ChatTranslation t = Translate("""{ "messages" : [ { "content" : "hi" , "role" : "user" } ] , "model" : "m" }""");

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false}""",
            Encoding.UTF8.GetString(t.OllamaBody));
    }

    internal static ChatTranslation Translate(string json)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        Assert.NotNull(translation);
        return translation;
    }

    private static JsonElement Body(ChatTranslation t) => TranslationJson.Parse(t.OllamaBody);

    private static JsonElement Options(ChatTranslation t) => Body(t).GetProperty("options");
}
