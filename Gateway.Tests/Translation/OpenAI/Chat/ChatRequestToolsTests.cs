using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatRequestToolsTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    private const string WeatherTool =
        """{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}}""";

    [Fact]
    public void Tools_CopiedToNativeToolsWithoutStrict()
    {
        ChatTranslation t = Translate($$$"""{"model":"m","messages":{{{UserHi}}},"tools":[{{{WeatherTool}}}]}""");

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false,"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}}]}""",
            Encoding.UTF8.GetString(t.OllamaBody));
    }

    [Fact]
    public void ToolWithoutParameters_SendsEmptyObjectSchema()
    {
        JsonElement tool = Body($$$"""{"model":"m","messages":{{{UserHi}}},"tools":[{"type":"function","function":{"name":"now"}}]}""")
            .GetProperty("tools")[0];

        Assert.Equal("""{"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}""", tool.GetRawText());
    }

    [Theory]
    [InlineData("\"auto\"")]
    [InlineData("null")]
    public void ToolChoiceAutoOrNull_SendsTools(string choice)
    {
        JsonElement body = Body($$$"""{"model":"m","messages":{{{UserHi}}},"tools":[{{{WeatherTool}}}],"tool_choice":{{{choice}}} }""");

        Assert.Equal(1, body.GetProperty("tools").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[TOOL],"tool_choice":"none"}""")]
    [InlineData("""{"model":"m","tool_choice":"none","messages":[{"role":"user","content":"hi"}],"tools":[TOOL]}""")]
    public void ToolChoiceNone_DropsTools(string json)
    {
        JsonElement body = Body(json.Replace("TOOL", WeatherTool, StringComparison.Ordinal));

        Assert.Equal(["model", "messages", "stream"], body.Names());
    }

    [Theory]
    [InlineData("\"required\"")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""")]
    [InlineData("""{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[]}}""")]
    public void ToolChoiceForcing_Refused400ExplainingOllamaCannotForce(string choice)
    {
        TranslationError error = Refuse($$$"""{"model":"m","messages":{{{UserHi}}},"tools":[{{{WeatherTool}}}],"tool_choice":{{{choice}}} }""", "tool_choice");

        Assert.Contains("Ollama cannot force", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("null")]
    public void ParallelToolCalls_AcceptedAndNotForwarded(string value)
    {
        JsonElement body = Body($$$"""{"model":"m","messages":{{{UserHi}}},"tools":[{{{WeatherTool}}}],"parallel_tool_calls":{{{value}}} }""");

        Assert.Equal(["model", "messages", "stream", "tools"], body.Names());
    }

    [Theory]
    [InlineData("\"tools\":[]", "tools")]
    [InlineData("\"tools\":{}", "tools")]
    [InlineData("\"tools\":[5]", "tools[0]")]
    [InlineData("\"tools\":[{\"function\":{\"name\":\"f\"}}]", "tools[0].type")]
    [InlineData("\"tools\":[{\"type\":\"custom\",\"function\":{\"name\":\"f\"}}]", "tools[0].type")]
    [InlineData("\"tools\":[{\"type\":\"function\"}]", "tools[0].function")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":null}]", "tools[0].function")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"\"}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get weather\"}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f.g\"}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"x12345678901234567890123456789012345678901234567890123456789012345\"}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"{}\"}}]", "tools[0].function.parameters")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"type\":\"string\"}}}]", "tools[0].function.parameters.type")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":\"yes\"}}]", "tools[0].function.strict")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"examples\":[]}}]", "tools[0].function.examples")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"},\"Type\":\"x\"}]", "tools[0].Type")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "tools[1].function.name")]
    [InlineData("\"tool_choice\":\"any\"", "tool_choice")]
    [InlineData("\"tool_choice\":true", "tool_choice")]
    [InlineData("\"parallel_tool_calls\":\"no\"", "parallel_tool_calls")]
    public void BadTools_Refused400NamingThePath(string extra, string param)
    {
        Refuse($$$"""{"model":"m","messages":{{{UserHi}}},{{{extra}}} }""", param);
    }

    [Fact]
    public void AssistantToolCallsAndToolResult_RoundTripToNativeShapes()
    {
        ChatTranslation t = Translate("""
            {"model":"m","tools":[{"type":"function","function":{"name":"get_weather"}}],"messages":[
             {"role":"user","content":"Weather in Paris and Zürich?"},
             {"role":"assistant","content":null,"tool_calls":[
               {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"c\"}"}},
               {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Zürich 🏔\"}"}}]},
             {"role":"tool","tool_call_id":"call_b","content":"-2"},
             {"role":"tool","tool_call_id":"call_a","content":[{"type":"text","text":"18"}]}]}
            """);

        JsonElement messages = TranslationJson.Parse(t.OllamaBody).GetProperty("messages");
        Assert.Equal(
            """{"role":"assistant","content":"","tool_calls":[{"id":"call_a","function":{"name":"get_weather","arguments":{"city":"Paris","unit":"c"}}},{"id":"call_b","function":{"name":"get_weather","arguments":{"city":"Z\u00FCrich \uD83C\uDFD4"}}}]}""",
            messages[1].GetRawText());
        Assert.Equal("Zürich 🏔", messages[1].GetProperty("tool_calls")[1].GetProperty("function").GetProperty("arguments").GetProperty("city").GetString());
        Assert.Equal("""{"role":"tool","content":"-2","tool_name":"get_weather","tool_call_id":"call_b"}""", messages[2].GetRawText());
        Assert.Equal("""{"role":"tool","content":"18","tool_name":"get_weather","tool_call_id":"call_a"}""", messages[3].GetRawText());
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    public void EmptyArguments_BecomeEmptyObject(string arguments)
    {
        JsonElement call = Body($$$"""
            {"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"now","arguments":{{{arguments}}}}}]}]}
            """).GetProperty("messages")[0].GetProperty("tool_calls")[0];

        Assert.Equal("{}", call.GetProperty("function").GetProperty("arguments").GetRawText());
    }

    [Fact]
    public void AssistantContentWithToolCalls_BothKept()
    {
        JsonElement message = Body("""
            {"model":"m","messages":[{"role":"assistant","content":"Checking.","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}]}
            """).GetProperty("messages")[0];

        Assert.Equal("Checking.", message.GetProperty("content").GetString());
        Assert.Equal(1, message.GetProperty("tool_calls").GetArrayLength());
    }

    [Fact]
    public void ToolCallIdReused_LatestCallNamesTheResult()
    {
        JsonElement messages = Body("""
            {"model":"m","messages":[
             {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"old","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"x"},
             {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"new","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"y"}]}
            """).GetProperty("messages");

        Assert.Equal("old", messages[1].GetProperty("tool_name").GetString());
        Assert.Equal("new", messages[3].GetProperty("tool_name").GetString());
    }

    [Theory]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{"}}]}]""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1]"}}]}]""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":1} x"}}]}]""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":1,\"a\":2}"}}]}]""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{"a":1}}}]}]""", "messages[1].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]""", "messages[0].tool_calls[0].id")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]}]""", "messages[0].tool_calls[0].type")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"custom","function":{"name":"f","arguments":"{}"}}]}]""", "messages[0].tool_calls[0].type")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function"}]}]""", "messages[0].tool_calls[0].function")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"a b","arguments":"{}"}}]}]""", "messages[0].tool_calls[0].function.name")]
    [InlineData("""[{"role":"assistant","tool_calls":"x"}]""", "messages[0].tool_calls")]
    [InlineData("""[{"role":"assistant","tool_calls":[]}]""", "messages[0].content")]
    [InlineData("""[{"role":"assistant","content":null,"tool_calls":null}]""", "messages[0].content")]
    [InlineData("""[{"role":"user","content":"a","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]""", "messages[0].tool_calls")]
    [InlineData("""[{"role":"tool","content":"r"}]""", "messages[0].tool_call_id")]
    [InlineData("""[{"role":"tool","content":"r","tool_call_id":""}]""", "messages[0].tool_call_id")]
    [InlineData("""[{"role":"tool","content":"r","tool_call_id":"nope"}]""", "messages[0].tool_call_id")]
    [InlineData("""[{"role":"tool","content":"r","tool_call_id":"c"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]""", "messages[0].tool_call_id")]
    [InlineData("""[{"role":"tool","tool_call_id":"c"}]""", "messages[0].content")]
    public void BadToolMessages_Refused400NamingThePath(string messages, string param)
    {
        Refuse($$$"""{"model":"m","messages":{{{messages}}} }""", param);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":\"\\ud800\"}"}}]}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"a":"\ud800"}}}]}""")]
    public void LoneSurrogateInCopiedJson_Refused400NotThrown(string json)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Null(error.Param);
    }

    [Fact]
    public void UnknownToolCallId_MessageNamesTheId()
    {
        TranslationError error = Refuse("""{"model":"m","messages":[{"role":"tool","content":"r","tool_call_id":"call_zz"}]}""", "messages[0].tool_call_id");

        Assert.Contains("call_zz", error.Message, StringComparison.Ordinal);
    }

    private static ChatTranslation Translate(string json)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(error);
        return translation!;
    }

    private static JsonElement Body(string json) => TranslationJson.Parse(Translate(json).OllamaBody);

    private static TranslationError Refuse(string json, string param)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Equal(param, error.Param);
        return error;
    }
}
