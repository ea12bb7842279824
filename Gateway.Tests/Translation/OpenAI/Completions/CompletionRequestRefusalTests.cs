using System.Text;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Completions;

namespace OllamaGateway.Tests.Translation.OpenAI.Completions;

public sealed class CompletionRequestRefusalTests
{
    [Theory]
    [InlineData("""{"prompt":"p"}""", "model")]
    [InlineData("""{"model":null,"prompt":"p"}""", "model")]
    [InlineData("""{"model":"m"}""", "prompt")]
    [InlineData("""{"model":"m","prompt":null}""", "prompt")]
    public void MissingRequiredField_MissingRequiredParameter(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("missing_required_parameter", error.Code);
    }

    [Fact]
    public void EmptyModel_InvalidValue()
    {
        TranslationError error = Refuse("""{"model":"","prompt":"p"}""");

        Assert.Equal("model", error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":""}""", "prompt")]
    [InlineData("""{"model":"m","prompt":[""]}""", "prompt[0]")]
    public void EmptyPrompt_InvalidValueBecauseItWouldLoadTheModel(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Fact]
    public void EmptyPromptArray_EmptyArray()
    {
        TranslationError error = Refuse("""{"model":"m","prompt":[]}""");

        Assert.Equal("prompt", error.Param);
        Assert.Equal("empty_array", error.Code);
    }

    [Fact]
    public void SeveralPrompts_InvalidValueNamingPrompt()
    {
        TranslationError error = Refuse("""{"model":"m","prompt":["a","b"]}""");

        Assert.Equal("prompt", error.Param);
        Assert.Equal("invalid_value", error.Code);
        Assert.Contains("n>1 prompts are not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":[1212, 318]}""")]
    [InlineData("""{"model":"m","prompt":[[1212, 318]]}""")]
    [InlineData("""{"model":"m","prompt":[[1212], [318]]}""")]
    public void TokenArrayPrompt_InvalidValueNamingPrompt(string json)
    {
        TranslationError error = Refuse(json);

        Assert.Equal("prompt", error.Param);
        Assert.Equal("invalid_value", error.Code);
        Assert.Contains("token arrays", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":42}""", "prompt")]
    [InlineData("""{"model":"m","prompt":{"text":"p"}}""", "prompt")]
    [InlineData("""{"model":"m","prompt":true}""", "prompt")]
    [InlineData("""{"model":"m","prompt":[null]}""", "prompt[0]")]
    [InlineData("""{"model":"m","prompt":[{"a":1}]}""", "prompt[0]")]
    [InlineData("""{"model":42,"prompt":"p"}""", "model")]
    [InlineData("""{"model":"m","prompt":"p","suffix":1}""", "suffix")]
    [InlineData("""{"model":"m","prompt":"p","max_tokens":"16"}""", "max_tokens")]
    [InlineData("""{"model":"m","prompt":"p","temperature":"0.5"}""", "temperature")]
    [InlineData("""{"model":"m","prompt":"p","top_p":true}""", "top_p")]
    [InlineData("""{"model":"m","prompt":"p","seed":"1"}""", "seed")]
    [InlineData("""{"model":"m","prompt":"p","presence_penalty":[]}""", "presence_penalty")]
    [InlineData("""{"model":"m","prompt":"p","frequency_penalty":{}}""", "frequency_penalty")]
    [InlineData("""{"model":"m","prompt":"p","stream":"true"}""", "stream")]
    [InlineData("""{"model":"m","prompt":"p","stream_options":true}""", "stream_options")]
    [InlineData("""{"model":"m","prompt":"p","stream_options":{"include_usage":1}}""", "stream_options.include_usage")]
    [InlineData("""{"model":"m","prompt":"p","user":7}""", "user")]
    [InlineData("""{"model":"m","prompt":"p","stop":5}""", "stop")]
    [InlineData("""{"model":"m","prompt":"p","stop":["a",5]}""", "stop[1]")]
    [InlineData("""{"model":"m","prompt":"p","echo":"yes"}""", "echo")]
    [InlineData("""{"model":"m","prompt":"p","n":"2"}""", "n")]
    [InlineData("""{"model":"m","prompt":"p","logit_bias":[]}""", "logit_bias")]
    public void WrongType_InvalidTypeNamingParam(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"p","max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"m","prompt":"p","max_tokens":-1}""", "max_tokens")]
    [InlineData("""{"model":"m","prompt":"p","stop":""}""", "stop")]
    [InlineData("""{"model":"m","prompt":"p","stop":["a",""]}""", "stop[1]")]
    [InlineData("""{"model":"m","prompt":"p","temperature":1e400}""", "temperature")]
    public void OutOfRangeValue_InvalidValue(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"p","max_tokens":16.5}""", "max_tokens")]
    [InlineData("""{"model":"m","prompt":"p","max_tokens":3000000000}""", "max_tokens")]
    [InlineData("""{"model":"m","prompt":"p","seed":1.5}""", "seed")]
    public void NotAWholeNumber_InvalidType(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
    }

    [Fact]
    public void EchoTrue_InvalidValueNamingEcho()
    {
        TranslationError error = Refuse("""{"model":"m","prompt":"p","echo":true}""");

        Assert.Equal("echo", error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"p","n":2}""", "n")]
    [InlineData("""{"model":"m","prompt":"p","n":0}""", "n")]
    [InlineData("""{"model":"m","prompt":"p","best_of":3}""", "best_of")]
    public void SeveralChoices_InvalidValue(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"p","logprobs":0}""")]
    [InlineData("""{"model":"m","prompt":"p","logprobs":5}""")]
    [InlineData("""{"model":"m","prompt":"p","logprobs":true}""")]
    public void NonNullLogprobs_UnsupportedParameter(string json)
    {
        TranslationError error = Refuse(json);

        Assert.Equal("logprobs", error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Fact]
    public void NonEmptyLogitBias_UnsupportedParameter()
    {
        TranslationError error = Refuse("""{"model":"m","prompt":"p","logit_bias":{"50256":-100}}""");

        Assert.Equal("logit_bias", error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"p","raw":true}""", "raw")]
    [InlineData("""{"model":"m","prompt":"p","keep_alive":0}""", "keep_alive")]
    [InlineData("""{"model":"m","prompt":"p","options":{"num_ctx":99999}}""", "options")]
    [InlineData("""{"model":"m","prompt":"p","system":"evil"}""", "system")]
    [InlineData("""{"model":"m","prompt":"p","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","prompt":"p","stream_options":{"chunk_size":1}}""", "stream_options.chunk_size")]
    public void UnknownField_UnsupportedParameterNamingIt(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Theory]
    [InlineData("""{"model":"a","prompt":"p","model":"b"}""", "model")]
    [InlineData("""{"model":"a","prompt":"p","MODEL":"b"}""", "MODEL")]
    [InlineData("""{"model":"m","prompt":"p","Prompt":"q"}""", "Prompt")]
    [InlineData("""{"model":"m","prompt":"p","store":true,"STORE":false}""", "STORE")]
    [InlineData("""{"model":"m","prompt":"p","stream":true,"stream_options":{"include_usage":true,"Include_Usage":false}}""", "stream_options.Include_Usage")]
    public void DuplicateOrCaseVariantOfSeenKey_DuplicateKey(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("duplicate_key", error.Code);
    }

    [Theory]
    [InlineData("""{"Model":"m","prompt":"p"}""", "Model")]
    [InlineData("""{"model":"m","prompt":"p","Max_Tokens":5}""", "Max_Tokens")]
    [InlineData("""{"model":"m","prompt":"p","ECHO":true}""", "ECHO")]
    [InlineData("""{"model":"m","prompt":"p","Service_Tier":"auto"}""", "Service_Tier")]
    public void CaseVariantOfKnownKey_InvalidKey(string json, string param)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_key", error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"model":"m","prompt":"p"} {}""")]
    [InlineData("""{"model":"m","prompt":"p",}""")]
    [InlineData("""{"model":"m",/*c*/"prompt":"p"}""")]
    [InlineData("""{"model":"m","prompt":"\ud800"}""")]
    public void MalformedJson_InvalidJsonWithoutParam(string json)
    {
        TranslationError error = Refuse(json);

        Assert.Null(error.Param);
        Assert.Null(error.Code);
    }

    [Fact]
    public void InvalidUtf8_InvalidJson()
    {
        byte[] json = [.. "{\"model\":\"m\",\"prompt\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        TranslationError error = Refuse(json);

        Assert.Null(error.Param);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"prompt\"")]
    [InlineData("null")]
    public void NotAnObject_Refused(string json)
    {
        TranslationError error = Refuse(json);

        Assert.Null(error.Param);
        Assert.Contains("JSON object", error.Message, StringComparison.Ordinal);
    }

    // Go's decoder folds the long s (U+017F) to 's' and the Kelvin sign (U+212A) to 'k', which .NET's
    // OrdinalIgnoreCase does not: "max_to\u212Aens" would set Ollama's reading of max_tokens.
    [Theory]
    [InlineData("""{"model":"m","prompt":"p","max_to\u212Aens":5}""", "max_to\u212Aens", "invalid_key")]
    [InlineData("""{"model":"m","prompt":"p","\u017Fuffix":"s"}""", "\u017Fuffix", "invalid_key")]
    [InlineData("""{"model":"m","prompt":"p","stream":true,"\u017Ftream":false}""", "\u017Ftream", "duplicate_key")]
    public void GoFoldedVariantOfKey_Refused400(string json, string param, string code)
    {
        TranslationError error = Refuse(json);

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    private static TranslationError Refuse(string json) => Refuse(Encoding.UTF8.GetBytes(json));

    private static TranslationError Refuse(byte[] json)
    {
        (CompletionTranslation? translation, TranslationError? error) = CompletionRequestTranslator.Translate(json);
        Assert.Null(translation);
        Assert.NotNull(error);
        return error;
    }
}
