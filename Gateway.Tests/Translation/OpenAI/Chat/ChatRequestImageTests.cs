using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatRequestImageTests
{
    // A 1x1 PNG.
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    [Fact]
    public void TextAndImageParts_OneNativeMessageWithBareBase64Images()
    {
        ChatTranslation t = Translate($$$"""
            {"model":"llava","messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Png}}}","detail":"high"}},
              {"type":"text","text":"And this?"},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]}]}
            """);

        // The default encoder writes '+' as \u002B: valid JSON that Go decodes to the same base64.
        Assert.Equal(
            $$$"""{"model":"llava","messages":[{"role":"user","content":"What is this?\nAnd this?","images":["{{{Png.Replace("+", "\\u002B", StringComparison.Ordinal)}}}","/9j/4AAQ"]}],"stream":false}""",
            Encoding.UTF8.GetString(t.OllamaBody));
    }

    [Theory]
    [InlineData("data:image/png;base64,")]
    [InlineData("data:image/jpeg;base64,")]
    [InlineData("data:image/jpg;base64,")]
    [InlineData("data:image/gif;base64,")]
    [InlineData("data:image/webp;base64,")]
    [InlineData("DATA:IMAGE/PNG;BASE64,")]
    public void AllowedMediaTypes_Accepted(string prefix)
    {
        JsonElement message = Body($$$"""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{prefix}}}{{{Png}}}"}}]}]}""")
            .GetProperty("messages")[0];

        Assert.Equal(Png, Assert.Single(message.GetProperty("images").EnumerateArray()).GetString());
        Assert.Equal(string.Empty, message.GetProperty("content").GetString());
    }

    [Fact]
    public void ImageUrlAsBareString_Accepted()
    {
        JsonElement message = Body($$$"""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":"data:image/png;base64,{{{Png}}}"}]}]}""")
            .GetProperty("messages")[0];

        Assert.Equal(Png, message.GetProperty("images")[0].GetString());
    }

    [Theory]
    [InlineData("https://example.com/cat.png", "messages[0].content[0].image_url.url")]
    [InlineData("http://169.254.169.254/latest/meta-data", "messages[0].content[0].image_url.url")]
    [InlineData("HTTPS://example.com/cat.png", "messages[0].content[0].image_url.url")]
    [InlineData("data:image/png;base64,not base64!", "messages[0].content[0].image_url.url")]
    [InlineData("data:image/png;base64,AAA", "messages[0].content[0].image_url.url")]
    [InlineData("data:image/png;base64,AA\nAA", "messages[0].content[0].image_url.url")]
    [InlineData("data:image/png;base64,", "messages[0].content[0].image_url.url")]
    [InlineData("data:image/svg+xml;base64,AAAA", "messages[0].content[0].image_url.url")]
    [InlineData("data:;base64,AAAA", "messages[0].content[0].image_url.url")]
    [InlineData("data:image/png,AAAA", "messages[0].content[0].image_url.url")]
    [InlineData("AAAA", "messages[0].content[0].image_url.url")]
    [InlineData("file:///etc/passwd", "messages[0].content[0].image_url.url")]
    public void BadImageUrl_Refused400NamingTheUrl(string url, string param)
    {
        string escaped = JsonEncodedTextString(url);
        Refuse($$$"""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":{{{escaped}}}}}]}]}""", param);
    }

    [Fact]
    public void RemoteUrl_MessageSaysTheGatewayNeverFetches()
    {
        TranslationError error = Refuse(
            """{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""",
            "messages[0].content[0].image_url.url");

        Assert.Contains("never fetches", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"image_url"}""", "messages[0].content[0].image_url")]
    [InlineData("""{"type":"image_url","image_url":null}""", "messages[0].content[0].image_url")]
    [InlineData("""{"type":"image_url","image_url":{}}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"type":"image_url","image_url":5}""", "messages[0].content[0].image_url")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"max"}}""", "messages[0].content[0].image_url.detail")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","Url":"x"}}""", "messages[0].content[0].image_url.Url")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"},"text":"x"}""", "messages[0].content[0].text")]
    [InlineData("""{"type":"text","text":"x","image_url":{"url":"https://example.com/a.png"}}""", "messages[0].content[0].image_url")]
    public void BadImagePart_Refused400NamingThePath(string part, string param)
    {
        Refuse($$$"""{"model":"m","messages":[{"role":"user","content":[{{{part}}}]}]}""", param);
    }

    [Theory]
    [InlineData("system")]
    [InlineData("assistant")]
    [InlineData("tool")]
    public void ImageOutsideUserMessage_Refused400(string role)
    {
        string toolCall = role == "tool"
            ? """{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},"""
            : string.Empty;
        int index = role == "tool" ? 1 : 0;

        Refuse(
            $$$"""{"model":"m","messages":[{{{toolCall}}}{"role":"{{{role}}}","tool_call_id":{{{(role == "tool" ? "\"c\"" : "null")}}},"content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Png}}}"}}]}]}""",
            $"messages[{index}].content");
    }

    private static string JsonEncodedTextString(string value) => JsonSerializer.Serialize(value);

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
