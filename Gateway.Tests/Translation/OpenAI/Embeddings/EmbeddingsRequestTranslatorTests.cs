using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Embeddings;

namespace OllamaGateway.Tests.Translation.OpenAI.Embeddings;

public sealed class EmbeddingsRequestTranslatorTests
{
    [Fact]
    public void StringInput_IsSentAsOneElementArray()
    {
        var translation = Translate("""{"model":"nomic-embed-text","input":"hello"}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal("nomic-embed-text", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(["hello"], Strings(body.RootElement.GetProperty("input")));
        Assert.Equal(1, translation.InputCount);
        Assert.Equal("nomic-embed-text", translation.Model);
    }

    [Fact]
    public void EmptyStringInput_IsSentAsArrayWithOneEmptyString()
    {
        var translation = Translate("""{"model":"m","input":""}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal([""], Strings(body.RootElement.GetProperty("input")));
        Assert.Equal(1, translation.InputCount);
    }

    [Fact]
    public void ArrayInput_IsSentInOrderAndCounted()
    {
        var translation = Translate("""{"input":["one","two","","three"],"model":"m"}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal(["one", "two", "", "three"], Strings(body.RootElement.GetProperty("input")));
        Assert.Equal(4, translation.InputCount);
    }

    [Fact]
    public void MinimalRequest_SendsOnlyModelAndInput()
    {
        var translation = Translate("""{"model":"m","input":"x","encoding_format":"base64","user":"u-1"}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal(["input", "model"], Keys(body.RootElement));
    }

    [Fact]
    public void Dimensions_AreForwarded()
    {
        var translation = Translate("""{"model":"m","input":"x","dimensions":256}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal(["dimensions", "input", "model"], Keys(body.RootElement));
        Assert.Equal(256, body.RootElement.GetProperty("dimensions").GetInt32());
    }

    [Fact]
    public void NullDimensions_AreLeftOut()
    {
        var translation = Translate("""{"model":"m","input":"x","dimensions":null}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.False(body.RootElement.TryGetProperty("dimensions", out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("3.0")]
    [InlineData("1e2")]
    [InlineData("2147483648")]
    [InlineData("\"3\"")]
    [InlineData("true")]
    [InlineData("[3]")]
    public void InvalidDimensions_Return400OnDimensions(string value)
    {
        var error = Refuse($$"""{"model":"m","input":"x","dimensions":{{value}}}""");

        Assert.Equal("dimensions", error.Param);
    }

    [Fact]
    public void User_IsReturnedButNotForwarded()
    {
        var translation = Translate("""{"model":"m","input":"x","user":"user-42"}""");

        Assert.Equal("user-42", translation.User);
        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.False(body.RootElement.TryGetProperty("user", out _));
    }

    [Fact]
    public void NoUser_GivesNullUser()
    {
        Assert.Null(Translate("""{"model":"m","input":"x","user":null}""").User);
    }

    [Fact]
    public void NonStringUser_Returns400OnUser()
    {
        Assert.Equal("user", Refuse("""{"model":"m","input":"x","user":42}""").Param);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"x"}""", false)]
    [InlineData("""{"model":"m","input":"x","encoding_format":null}""", false)]
    [InlineData("""{"model":"m","input":"x","encoding_format":""}""", false)]
    [InlineData("""{"model":"m","input":"x","encoding_format":"float"}""", false)]
    [InlineData("""{"model":"m","input":"x","encoding_format":"FLOAT"}""", false)]
    [InlineData("""{"model":"m","input":"x","encoding_format":"base64"}""", true)]
    [InlineData("""{"model":"m","input":"x","encoding_format":"Base64"}""", true)]
    public void EncodingFormat_SetsBase64(string json, bool base64)
    {
        Assert.Equal(base64, Translate(json).Base64);
    }

    [Fact]
    public void UnknownEncodingFormat_Returns400WithOllamaMessage()
    {
        var error = Refuse("""{"model":"m","input":"x","encoding_format":"int8"}""");

        Assert.Equal("Invalid value for 'encoding_format' = int8. Supported values: ['float', 'base64'].", error.Message);
        Assert.Equal("encoding_format", error.Param);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[\"base64\"]")]
    [InlineData("{}")]
    public void NonStringEncodingFormat_Returns400OnEncodingFormat(string value)
    {
        var error = Refuse($$"""{"model":"m","input":"x","encoding_format":{{value}}}""");

        Assert.Equal("encoding_format", error.Param);
        Assert.StartsWith("Invalid value for 'encoding_format' = ", error.Message);
    }

    [Theory]
    [InlineData("""{"input":"x"}""")]
    [InlineData("""{"model":null,"input":"x"}""")]
    [InlineData("""{"model":"","input":"x"}""")]
    [InlineData("""{"model":7,"input":"x"}""")]
    [InlineData("""{"model":["m"],"input":"x"}""")]
    public void MissingOrInvalidModel_Returns400OnModel(string json)
    {
        Assert.Equal("model", Refuse(json).Param);
    }

    [Theory]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"model":"m","input":null}""")]
    [InlineData("""{"model":"m","input":[]}""")]
    [InlineData("""{"model":"m","input":5}""")]
    [InlineData("""{"model":"m","input":true}""")]
    [InlineData("""{"model":"m","input":{"text":"x"}}""")]
    [InlineData("""{"model":"m","input":["a",null]}""")]
    [InlineData("""{"model":"m","input":["a",{}]}""")]
    [InlineData("""{"model":"m","input":[["a"]]}""")]
    public void MissingOrInvalidInput_Returns400OnInput(string json)
    {
        var error = Refuse(json);

        Assert.Equal("input", error.Param);
        Assert.DoesNotContain("Token arrays", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("[[1,2],[3]]")]
    [InlineData("[[]]")]
    [InlineData("[1.5]")]
    public void TokenArrays_Return400ExplainingOllamaEmbedsTextOnly(string input)
    {
        var error = Refuse($$"""{"model":"m","input":{{input}}}""");

        Assert.Equal("input", error.Param);
        Assert.Contains("Token arrays are not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("text only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextThenNumber_Returns400NamingTheItem()
    {
        var error = Refuse("""{"model":"m","input":["a",1]}""");

        Assert.Equal("input", error.Param);
        Assert.Contains("input[1]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"x","truncate":true}""", "truncate")]
    [InlineData("""{"model":"m","input":"x","keep_alive":"5m"}""", "keep_alive")]
    [InlineData("""{"model":"m","input":"x","options":{"num_ctx":8}}""", "options")]
    [InlineData("""{"model":"m","prompt":"x"}""", "prompt")]
    [InlineData("""{"MODEL":"m","input":"x"}""", "MODEL")]
    [InlineData("""{"model":"m","Input":"x"}""", "Input")]
    public void UnknownField_Returns400NamingIt(string json, string field)
    {
        var error = Refuse(json);

        Assert.Equal(field, error.Param);
        Assert.Equal($"Unrecognized request argument supplied: {field}", error.Message);
    }

    [Theory]
    [InlineData("""{"model":"a","input":"x","model":"b"}""", "model")]
    [InlineData("""{"model":"a","MODEL":"b","input":"x"}""", "MODEL")]
    [InlineData("""{"model":"a","input":"x","Model":"b"}""", "Model")]
    [InlineData("""{"model":"a","input":"x","mod\u0065l":"b"}""", "model")]
    [InlineData("""{"model":"a","input":"x","INPUT":["y"]}""", "INPUT")]
    [InlineData("""{"model":"a","input":"x","dimensions":8,"dimen\u017Fions":16}""", "dimen\u017Fions")]
    [InlineData("""{"model":"a","input":"x","user":"u","u\u017Fer":"v"}""", "u\u017Fer")]
    [InlineData("""{"model":"a","input":"x","encoding_format":"float","encoding_format":"base64"}""", "encoding_format")]
    public void DuplicateOrCaseVariantKey_Returns400(string json, string param)
    {
        var error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Contains("Duplicate key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"model":"m","input":"x",}""")]
    [InlineData("""{"model":"m","input":"x"} trailing""")]
    [InlineData("""{"model":"m","input":"x"}{}""")]
    [InlineData("// comment\n{\"model\":\"m\",\"input\":\"x\"}")]
    [InlineData("""{'model':'m','input':'x'}""")]
    [InlineData("{\"model\":\"m\",\"input\":\"raw control \u0001 character\"}")]
    public void InvalidJson_Returns400WithNullParam(string json)
    {
        var error = Refuse(json);

        Assert.Null(error.Param);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("42")]
    public void NonObjectBody_Returns400WithNullParam(string json)
    {
        var error = Refuse(json);

        Assert.Null(error.Param);
        Assert.Contains("JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoneSurrogateEscape_Returns400InsteadOfThrowing()
    {
        var error = Refuse("""{"model":"m","input":"\uD800"}""");

        Assert.Null(error.Param);
    }

    [Fact]
    public void InvalidUtf8_Returns400InsteadOfThrowing()
    {
        byte[] json = [.. "{\"model\":\"m\",\"input\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        var (translation, error) = EmbeddingsRequestTranslator.Translate(json);

        Assert.Null(translation);
        Assert.NotNull(error);
    }

    [Fact]
    public void NonAsciiAndEscapedText_RoundTripsUnescapedToOllama()
    {
        var translation = Translate("""{"model":"m","input":["héllo 日本語 🙂","quote \" back \\ tab \t","\u00e9"]}""");

        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal(["héllo 日本語 🙂", "quote \" back \\ tab \t", "é"], Strings(body.RootElement.GetProperty("input")));

        // Sent as raw UTF-8 rather than \u escapes, which would inflate CJK text sixfold.
        Assert.Contains("日本語", Encoding.UTF8.GetString(translation.OllamaBody), StringComparison.Ordinal);
    }

    [Fact]
    public void ModelName_IsEchoedExactlyAndEscapedSafely()
    {
        var translation = Translate("""{"model":"hf.co/Org/Repo:Q4_K_M\"x","input":"x"}""");

        Assert.Equal("hf.co/Org/Repo:Q4_K_M\"x", translation.Model);
        using var body = JsonDocument.Parse(translation.OllamaBody);
        Assert.Equal("hf.co/Org/Repo:Q4_K_M\"x", body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Whitespace_AroundTheBodyIsAccepted()
    {
        var translation = Translate("  \n{ \"model\" : \"m\" , \"input\" : [ \"a\" ] }\r\n ");

        Assert.Equal(1, translation.InputCount);
    }

    private static EmbeddingsTranslation Translate(string json)
    {
        var (translation, error) = EmbeddingsRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        Assert.NotNull(translation);
        return translation;
    }

    private static TranslationError Refuse(string json)
    {
        var (translation, error) = EmbeddingsRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));
        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Null(error.Code);
        return error;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string[] Keys(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
