using System.Text;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation.OpenAI.Chat;

public class ChatRequestRefusalTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    [Theory]
    [InlineData("logit_bias", """{"50256":-100}""")]
    [InlineData("functions", "[]")]
    [InlineData("function_call", "\"auto\"")]
    [InlineData("audio", """{"voice":"alloy","format":"wav"}""")]
    [InlineData("modalities", """["text"]""")]
    [InlineData("prediction", """{"type":"content","content":"x"}""")]
    [InlineData("web_search_options", "{}")]
    [InlineData("verbosity", "\"low\"")]
    [InlineData("keep_alive", "\"5m\"")]
    [InlineData("options", """{"num_ctx":8192}""")]
    [InlineData("think", "true")]
    public void UnsupportedField_Refused400NamingIt(string field, string value)
    {
        TranslationError error = Refuse($$"""{"model":"m","messages":{{UserHi}},"{{field}}":{{value}} }""", field);

        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Theory]
    [InlineData("model", "5")]
    [InlineData("model", "[\"m\"]")]
    [InlineData("messages", "{}")]
    [InlineData("messages", "\"hi\"")]
    [InlineData("temperature", "\"0.5\"")]
    [InlineData("top_p", "true")]
    [InlineData("presence_penalty", "\"a\"")]
    [InlineData("frequency_penalty", "[]")]
    [InlineData("max_tokens", "\"10\"")]
    [InlineData("max_tokens", "1.5")]
    [InlineData("max_tokens", "3000000000")]
    [InlineData("max_completion_tokens", "{}")]
    [InlineData("seed", "\"42\"")]
    [InlineData("seed", "4.2")]
    [InlineData("stop", "5")]
    [InlineData("stop", "{}")]
    [InlineData("stream", "\"true\"")]
    [InlineData("stream", "1")]
    [InlineData("stream_options", "true")]
    [InlineData("user", "5")]
    [InlineData("n", "\"1\"")]
    public void WrongJsonType_Refused400NamingTheParameter(string field, string value)
    {
        string model = field == "model" ? string.Empty : "\"model\":\"m\",";
        string messages = field == "messages" ? string.Empty : $"\"messages\":{UserHi},";
        TranslationError error = Refuse($$"""{{{model}}{{messages}}"{{field}}":{{value}} }""", field);

        Assert.Equal("invalid_type", error.Code);
    }

    [Theory]
    [InlineData("""{"stop":["a",1]}""", "stop[1]")]
    [InlineData("""{"stop":[null]}""", "stop[0]")]
    [InlineData("""{"stop":""}""", "stop")]
    [InlineData("""{"stop":["a",""]}""", "stop[1]")]
    [InlineData("""{"stream_options":{"include_usage":"yes"}}""", "stream_options.include_usage")]
    [InlineData("""{"stream_options":{"include_obfuscation":1}}""", "stream_options.include_obfuscation")]
    [InlineData("""{"stream_options":{"chunk_size":1}}""", "stream_options.chunk_size")]
    [InlineData("""{"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"max_tokens":-1}""", "max_tokens")]
    [InlineData("""{"max_completion_tokens":0}""", "max_completion_tokens")]
    [InlineData("""{"n":2}""", "n")]
    [InlineData("""{"n":0}""", "n")]
    [InlineData("""{"temperature":1e999}""", "temperature")]
    public void BadNestedOrOutOfRangeValue_Refused400NamingThePath(string extra, string param)
    {
        Refuse($$"""{"model":"m","messages":{{UserHi}},{{extra[1..^1]}} }""", param);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":null,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""")]
    public void MissingNullOrEmptyModel_Refused400WithParamModel(string json)
    {
        Refuse(json, "model");
    }

    [Theory]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"model":"m","messages":null}""")]
    public void MissingMessages_Refused400WithParamMessages(string json)
    {
        TranslationError error = Refuse(json, "messages");

        Assert.Equal("missing_required_parameter", error.Code);
    }

    [Fact]
    public void EmptyMessages_Refused400TooShortAndNeverForwarded()
    {
        TranslationError error = Refuse("""{"model":"m","messages":[]}""", "messages");

        Assert.Equal("[] is too short - 'messages'", error.Message);
    }

    [Theory]
    [InlineData("""[5]""", "messages[0]")]
    [InlineData("""[{"role":"user","content":"a"},"x"]""", "messages[1]")]
    [InlineData("""[{"content":"hi"}]""", "messages[0].role")]
    [InlineData("""[{"role":null,"content":"hi"}]""", "messages[0].role")]
    [InlineData("""[{"role":"bot","content":"hi"}]""", "messages[0].role")]
    [InlineData("""[{"role":"function","content":"hi"}]""", "messages[0].role")]
    [InlineData("""[{"role":"User","content":"hi"}]""", "messages[0].role")]
    [InlineData("""[{"role":5,"content":"hi"}]""", "messages[0].role")]
    [InlineData("""[{"role":"user"}]""", "messages[0].content")]
    [InlineData("""[{"role":"user","content":null}]""", "messages[0].content")]
    [InlineData("""[{"role":"assistant","content":null}]""", "messages[0].content")]
    [InlineData("""[{"role":"user","content":5}]""", "messages[0].content")]
    [InlineData("""[{"role":"user","content":{}}]""", "messages[0].content")]
    [InlineData("""[{"role":"user","content":[]}]""", "messages[0].content")]
    [InlineData("""[{"role":"user","content":["x"]}]""", "messages[0].content[0]")]
    [InlineData("""[{"role":"user","content":[{"text":"x"}]}]""", "messages[0].content[0].type")]
    [InlineData("""[{"role":"user","content":[{"type":"text"}]}]""", "messages[0].content[0].text")]
    [InlineData("""[{"role":"user","content":[{"type":"text","text":5}]}]""", "messages[0].content[0].text")]
    [InlineData("""[{"role":"user","content":[{"type":5,"text":"x"}]}]""", "messages[0].content[0].type")]
    [InlineData("""[{"role":"user","content":[{"type":"text","text":"x","cache_control":{}}]}]""", "messages[0].content[0].cache_control")]
    [InlineData("""[{"role":"user","content":[{"type":"text","text":"x","image_url":{"url":"u"}}]}]""", "messages[0].content[0].image_url")]
    [InlineData("""[{"role":"user","content":"hi","tool_calls":[]}]""", "messages[0].tool_calls")]
    [InlineData("""[{"role":"assistant","content":"hi","reasoning":"r"}]""", "messages[0].reasoning")]
    [InlineData("""[{"role":"user","content":"hi","tool_call_id":"call_1"}]""", "messages[0].tool_call_id")]
    [InlineData("""[{"role":"user","content":"hi","name":5}]""", "messages[0].name")]
    [InlineData("""[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"x","content":"c"}]""", "messages[2].role")]
    public void BadMessage_Refused400NamingTheMessagePath(string messages, string param)
    {
        Refuse($$"""{"model":"m","messages":{{messages}} }""", param);
    }

    [Theory]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}""")]
    [InlineData("""{"type":"file","file":{"file_id":"f"}}""")]
    [InlineData("""{"type":"refusal","refusal":"no"}""")]
    public void NonTextContentPart_Refused400NamingItsType(string part)
    {
        TranslationError error = Refuse(
            $$"""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{{part}}]}]}""",
            "messages[0].content[1].type");

        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"a","model":"b","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"a","MODEL":"b","messages":[{"role":"user","content":"hi"}]}""", "MODEL")]
    [InlineData("""{"MODEL":"b","model":"a","messages":[{"role":"user","content":"hi"}]}""", "MODEL")]
    [InlineData("""{"Model":"a","messages":[{"role":"user","content":"hi"}]}""", "Model")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"Stream":true}""", "Stream")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"stream":false,"stream":true}""", "stream")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"Messages":[]}""", "Messages")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"store":true,"STORE":false}""", "STORE")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi","role":"system"}]}""", "messages[0].role")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi","Role":"system"}]}""", "messages[0].Role")]
    [InlineData("""{"model":"a","messages":[{"role":"user","CONTENT":"x","content":"hi"}]}""", "messages[0].CONTENT")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":[{"type":"text","text":"a","Text":"b"}]}]}""", "messages[0].content[0].Text")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true,"Include_Usage":false}}""", "stream_options.Include_Usage")]
    public void DuplicateOrCaseVariantKey_Refused400(string json, string param)
    {
        Refuse(json, param);
    }

    [Fact]
    public void CaseVariantOfAKeyAlreadySeen_ReportedAsDuplicate()
    {
        TranslationError error = Refuse("""{"model":"a","MODEL":"b","messages":[{"role":"user","content":"hi"}]}""", "MODEL");

        Assert.Equal("duplicate_key", error.Code);
    }

    [Fact]
    public void CaseVariantOfAKnownKeyAlone_ReportedAsInvalidKey()
    {
        TranslationError error = Refuse("""{"MODEL":"a","messages":[{"role":"user","content":"hi"}]}""", "MODEL");

        Assert.Equal("invalid_key", error.Code);
        Assert.Contains("'model'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"model":"m",}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]} {}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}x""")]
    [InlineData("// comment\n{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("""{'model':'m'}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"\ud800"}]}""")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("5")]
    [InlineData("null")]
    public void InvalidJsonOrNotAnObject_Refused400WithNullParam(string json)
    {
        Refuse(json, null);
    }

    [Fact]
    public void InvalidUtf8Bytes_Refused400WithNullParam()
    {
        byte[] body = [.. """{"model":"m","messages":[{"role":"user","content":"h"""u8, 0xC3, 0x28, .. "\"}]}"u8];

        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(body);

        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Null(error.Param);
    }

    [Fact]
    public void DeeplyNestedIgnoredField_Refused400WithNullParam()
    {
        string deep = new string('[', 100) + new string(']', 100);

        Refuse($$"""{"model":"m","messages":{{UserHi}},"metadata":{{deep}} }""", null);
    }

    // Go's decoder folds the long s (U+017F) to 's' and the Kelvin sign (U+212A) to 'k', which .NET's
    // OrdinalIgnoreCase does not: "\u017Ftream" would set Ollama's stream field.
    [Theory]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"\u017Ftream":true}""", "\u017Ftream", "invalid_key")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"stream":false,"\u017Ftream":true}""", "\u017Ftream", "duplicate_key")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"max_to\u212Aens":5}""", "max_to\u212Aens", "invalid_key")]
    [InlineData("""{"model":"a","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_u\u017Fage":true}}""", "stream_options.include_u\u017Fage", "invalid_key")]
    public void GoFoldedVariantOfKey_Refused400(string json, string param, string code)
    {
        TranslationError error = Refuse(json, param);

        Assert.Equal(code, error.Code);
    }

    private static TranslationError Refuse(string json, string? param)
    {
        (ChatTranslation? translation, TranslationError? error) = ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(json));

        Assert.Null(translation);
        Assert.NotNull(error);
        Assert.Equal(param, error.Param);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }
}
