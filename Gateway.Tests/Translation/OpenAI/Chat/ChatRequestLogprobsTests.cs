using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatRequestLogprobsTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    [Fact]
    public void LogprobsTrue_SentNativelyAndRemembered()
    {
        ChatTranslation t = Translate($$$"""{"model":"m","messages":{{{UserHi}}},"logprobs":true}""");

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false,"logprobs":true}""",
            Encoding.UTF8.GetString(t.OllamaBody));
        Assert.True(t.Logprobs);
    }

    [Fact]
    public void TopLogprobs_SentNativelyBesideLogprobs()
    {
        ChatTranslation t = Translate($$$"""{"model":"m","messages":{{{UserHi}}},"logprobs":true,"top_logprobs":20}""");

        JsonElement body = TranslationJson.Parse(t.OllamaBody);
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.Equal(20, body.GetProperty("top_logprobs").GetInt32());
    }

    [Theory]
    [InlineData("\"logprobs\":false")]
    [InlineData("\"logprobs\":null")]
    [InlineData("\"logprobs\":false,\"top_logprobs\":null")]
    public void LogprobsOffOrAbsent_NothingSent(string fields)
    {
        ChatTranslation t = Translate($$$"""{"model":"m","messages":{{{UserHi}}},{{{fields}}} }""");

        Assert.Equal(["model", "messages", "stream"], TranslationJson.Parse(t.OllamaBody).Names());
        Assert.False(t.Logprobs);
    }

    [Fact]
    public void TopLogprobsZero_OnlyLogprobsSent()
    {
        ChatTranslation t = Translate($$$"""{"model":"m","messages":{{{UserHi}}},"logprobs":true,"top_logprobs":0}""");

        Assert.Equal(["model", "messages", "stream", "logprobs"], TranslationJson.Parse(t.OllamaBody).Names());
    }

    [Theory]
    [InlineData("\"top_logprobs\":2")]
    [InlineData("\"logprobs\":false,\"top_logprobs\":2")]
    [InlineData("\"top_logprobs\":0,\"logprobs\":null")]
    public void TopLogprobsWithoutLogprobs_Refused400(string fields)
    {
        TranslationError error = Refuse($$$"""{"model":"m","messages":{{{UserHi}}},{{{fields}}} }""", "top_logprobs");

        Assert.Contains("requires logprobs", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("21")]
    [InlineData("3000000000")]
    public void TopLogprobsOutOfRange_Refused400(string value)
    {
        TranslationError error = Refuse($$$"""{"model":"m","messages":{{{UserHi}}},"logprobs":true,"top_logprobs":{{{value}}} }""", "top_logprobs");

        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("logprobs", "\"true\"")]
    [InlineData("logprobs", "1")]
    [InlineData("top_logprobs", "\"2\"")]
    [InlineData("top_logprobs", "1.5")]
    public void WrongType_Refused400(string field, string value)
    {
        string other = field == "logprobs" ? string.Empty : "\"logprobs\":true,";
        Refuse($$$"""{"model":"m","messages":{{{UserHi}}},{{{other}}}"{{{field}}}":{{{value}}} }""", field);
    }

    private static ChatTranslation Translate(string json)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(error);
        return translation!;
    }

    private static TranslationError Refuse(string json, string param)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Equal(param, error.Param);
        return error;
    }
}
