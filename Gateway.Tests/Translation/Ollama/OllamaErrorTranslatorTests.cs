using System.Text;
using OllamaGateway.Translation;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Tests.Translation.Ollama;

public class OllamaErrorTranslatorTests
{
    [Theory]
    [InlineData("""{"error":"model 'nope' not found"}""", "model 'nope' not found")]
    [InlineData("""  {"error":"server busy, please try again.  maximum pending requests exceeded"}  """ + "\n", "server busy, please try again.  maximum pending requests exceeded")]
    [InlineData("""{"status":500,"error":"h\u00e9llo 🦙"}""", "héllo 🦙")]
    public void JsonErrorBody_ReturnsItsMessage(string body, string expected)
    {
        Assert.Equal(expected, OllamaErrorTranslator.ReadMessage(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("404 page not found\n", "404 page not found")]
    [InlineData("405 method not allowed", "405 method not allowed")]
    [InlineData("{not json", "{not json")]
    [InlineData("""{"message":"no error key"}""", """{"message":"no error key"}""")]
    [InlineData("""{"error":{"message":"nested"}}""", """{"error":{"message":"nested"}}""")]
    [InlineData("""{"error":"x"} trailing""", """{"error":"x"} trailing""")]
    public void NonOllamaJsonBody_ReturnsTrimmedRawText(string body, string expected)
    {
        Assert.Equal(expected, OllamaErrorTranslator.ReadMessage(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n")]
    [InlineData("""{"error":""}""")]
    public void EmptyBodyOrMessage_ReturnsAFallbackMessage(string body)
    {
        string message = OllamaErrorTranslator.ReadMessage(Encoding.UTF8.GetBytes(body));

        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.NotEqual("""{"error":""}""", message);
    }

    [Fact]
    public void LongTextBody_CappedWithoutSplittingACharacter()
    {
        // 1023 ASCII bytes, then 🦙 (4 bytes) straddling the 1 KB cap.
        string body = new string('a', 1023) + "🦙" + new string('b', 5000);

        string message = OllamaErrorTranslator.ReadMessage(Encoding.UTF8.GetBytes(body));

        Assert.Equal(new string('a', 1023) + "...", message);
    }

    [Fact]
    public void LongJsonMessage_Capped()
    {
        string body = $$"""{"error":"{{new string('x', 5000)}}"}""";

        string message = OllamaErrorTranslator.ReadMessage(Encoding.UTF8.GetBytes(body));

        Assert.True(message.Length <= OllamaErrorTranslator.MaxMessageLength + 3);
        Assert.StartsWith("xxxx", message, StringComparison.Ordinal);
        Assert.EndsWith("...", message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8TextBody_DecodedWithReplacementNotThrown()
    {
        byte[] body = [.. "bad "u8, 0xFF, .. " bytes"u8];

        Assert.Equal("bad \uFFFD bytes", OllamaErrorTranslator.ReadMessage(body));
    }
}
