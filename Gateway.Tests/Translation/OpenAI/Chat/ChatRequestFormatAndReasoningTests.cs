using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatRequestFormatAndReasoningTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    [Fact]
    public void ResponseFormatText_SendsNoFormat()
    {
        Assert.Equal(["model", "messages", "stream"], Body("""{"type":"text"}""", "response_format").Names());
    }

    [Fact]
    public void ResponseFormatJsonObject_FormatJson()
    {
        ChatTranslation t = Translate($$$"""{"model":"m","messages":{{{UserHi}}},"response_format":{"type":"json_object"}}""");

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false,"format":"json"}""",
            Encoding.UTF8.GetString(t.OllamaBody));
    }

    [Fact]
    public void ResponseFormatJsonSchema_FormatIsTheSchemaObjectOnly()
    {
        JsonElement body = Body("""
            {"type":"json_schema","json_schema":{"name":"city_info","description":"d","strict":true,
             "schema":{"type":"object","properties":{"name":{"type":"string"},"population":{"type":"integer"}},"required":["name","population"]}}}
            """, "response_format");

        Assert.Equal(
            """{"type":"object","properties":{"name":{"type":"string"},"population":{"type":"integer"}},"required":["name","population"]}""",
            body.GetProperty("format").GetRawText());
    }

    [Theory]
    [InlineData("\"json_object\"", "response_format")]
    [InlineData("""{}""", "response_format.type")]
    [InlineData("""{"type":"JSON_OBJECT"}""", "response_format.type")]
    [InlineData("""{"type":"json"}""", "response_format.type")]
    [InlineData("""{"type":"json_schema"}""", "response_format.json_schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x"}}""", "response_format.json_schema.schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"schema":{}}}""", "response_format.json_schema.name")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"a b","schema":{}}}""", "response_format.json_schema.name")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":"{}"}}""", "response_format.json_schema.schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":[]}}""", "response_format.json_schema.schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":{"a":1,"a":2}}}""", "response_format.json_schema.schema.a")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":{},"strict":"yes"}}""", "response_format.json_schema.strict")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":{},"Schema":{}}}""", "response_format.json_schema.Schema")]
    [InlineData("""{"type":"json_object","json_schema":{"name":"x","schema":{}}}""", "response_format.json_schema")]
    [InlineData("""{"type":"text","extra":1}""", "response_format.extra")]
    public void BadResponseFormat_Refused400NamingThePath(string value, string param)
    {
        Refuse($$$"""{"model":"m","messages":{{{UserHi}}},"response_format":{{{value}}} }""", param);
    }

    [Theory]
    [InlineData("none", "false")]
    [InlineData("minimal", "\"low\"")]
    [InlineData("low", "\"low\"")]
    [InlineData("medium", "\"medium\"")]
    [InlineData("high", "\"high\"")]
    [InlineData("xhigh", "\"max\"")]
    [InlineData("max", "\"max\"")]
    public void ReasoningEffort_MapsToThink(string effort, string think)
    {
        Assert.Equal(think, Body($"\"{effort}\"", "reasoning_effort").GetProperty("think").GetRawText());
    }

    [Fact]
    public void ReasoningEffortAbsentOrNull_SendsNoThink()
    {
        Assert.False(Body("null", "reasoning_effort").Has("think"));
        Assert.False(TranslationJson.Parse(Translate($$$"""{"model":"m","messages":{{{UserHi}}} }""").OllamaBody).Has("think"));
    }

    [Theory]
    [InlineData("\"extreme\"")]
    [InlineData("\"High\"")]
    [InlineData("true")]
    [InlineData("1")]
    public void BadReasoningEffort_Refused400(string value)
    {
        Refuse($$$"""{"model":"m","messages":{{{UserHi}}},"reasoning_effort":{{{value}}} }""", "reasoning_effort");
    }

    [Fact]
    public void EverythingTogether_NativeFieldOrder()
    {
        ChatTranslation t = Translate("""
            {"model":"m","reasoning_effort":"low","response_format":{"type":"json_object"},"temperature":0.5,"stream":true,
             "tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}
            """);

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"options":{"temperature":0.5},"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],"format":"json","think":"low"}""",
            Encoding.UTF8.GetString(t.OllamaBody));
    }

    private static JsonElement Body(string value, string field) =>
        TranslationJson.Parse(Translate($$$"""{"model":"m","messages":{{{UserHi}}},"{{{field}}}":{{{value}}} }""").OllamaBody);

    private static ChatTranslation Translate(string json)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(error);
        return translation!;
    }

    private static void Refuse(string json, string param)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Equal(param, error.Param);
    }
}
