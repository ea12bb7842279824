using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Completions;

namespace OllamaGateway.Tests.Translation.OpenAI.Completions;

public sealed class CompletionRequestTranslatorTests
{
    [Fact]
    public void MinimalRequest_SendsModelPromptAndStreamFalseOnly()
    {
        CompletionTranslation translation = Translate("""{"model":"llama3.2","prompt":"Say hi"}""");

        JsonElement body = TranslationJson.Parse(translation.OllamaBody);
        Assert.Equal(["model", "prompt", "stream"], body.Names());
        Assert.Equal("llama3.2", body.GetProperty("model").GetString());
        Assert.Equal("Say hi", body.GetProperty("prompt").GetString());
        Assert.False(body.GetProperty("stream").GetBoolean());
        Assert.Equal("llama3.2", translation.Model);
        Assert.False(translation.Stream);
        Assert.False(translation.IncludeUsage);
        Assert.Null(translation.User);
    }

    [Fact]
    public void NoSamplerFields_NoOptionsObjectAndNoInjectedDefaults()
    {
        // OpenAI's spec defaults max_tokens to 16 and Ollama's layer injects temperature/top_p 1.0 and zero
        // penalties; none of that may appear when the client sent nothing.
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","stream":false}""");

        JsonElement body = TranslationJson.Parse(translation.OllamaBody);
        Assert.False(body.Has("options"));
        string raw = Encoding.UTF8.GetString(translation.OllamaBody);
        Assert.DoesNotContain("num_predict", raw);
        Assert.DoesNotContain("temperature", raw);
        Assert.DoesNotContain("raw", raw);
    }

    [Fact]
    public void OnlySomeSamplerFields_OnlyThoseAppearInOptions()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","temperature":0.2}""");

        JsonElement options = TranslationJson.Parse(translation.OllamaBody).GetProperty("options");
        Assert.Equal(["temperature"], options.Names());
        Assert.Equal(0.2, options.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void AllMappedFields_LandInTheirNativePlaces()
    {
        CompletionTranslation translation = Translate(
            """
            {"model":"qwen2.5-coder","prompt":"def add(a, b):","suffix":"    return c","max_tokens":64,
             "stop":["\n\n","###"],"temperature":0.7,"top_p":0.95,"seed":42,"presence_penalty":0.5,
             "frequency_penalty":-0.25,"stream":true,"stream_options":{"include_usage":true},"user":"alice"}
            """);

        JsonElement body = TranslationJson.Parse(translation.OllamaBody);
        Assert.Equal(["model", "prompt", "suffix", "stream", "options"], body.Names());
        Assert.Equal("def add(a, b):", body.GetProperty("prompt").GetString());
        Assert.Equal("    return c", body.GetProperty("suffix").GetString());
        Assert.True(body.GetProperty("stream").GetBoolean());

        JsonElement options = body.GetProperty("options");
        Assert.Equal(64, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(["\n\n", "###"], options.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.7, options.GetProperty("temperature").GetDouble());
        Assert.Equal(0.95, options.GetProperty("top_p").GetDouble());
        Assert.Equal(42, options.GetProperty("seed").GetInt64());
        Assert.Equal(0.5, options.GetProperty("presence_penalty").GetDouble());
        Assert.Equal(-0.25, options.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal(7, options.Names().Length);

        Assert.True(translation.Stream);
        Assert.True(translation.IncludeUsage);
        Assert.Equal("alice", translation.User);
        Assert.Equal("qwen2.5-coder", translation.Model);
    }

    [Fact]
    public void User_IsReturnedButNotForwarded()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","user":"user-1234"}""");

        Assert.Equal("user-1234", translation.User);
        Assert.DoesNotContain("user", Encoding.UTF8.GetString(translation.OllamaBody));
    }

    [Fact]
    public void PromptArrayOfOneString_SentAsPlainString()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":["Once upon a time"]}""");

        JsonElement prompt = TranslationJson.Parse(translation.OllamaBody).GetProperty("prompt");
        Assert.Equal(JsonValueKind.String, prompt.ValueKind);
        Assert.Equal("Once upon a time", prompt.GetString());
    }

    [Fact]
    public void StopString_BecomesOneElementArray()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","stop":"END"}""");

        JsonElement stop = TranslationJson.Parse(translation.OllamaBody).GetProperty("options").GetProperty("stop");
        Assert.Equal(JsonValueKind.Array, stop.ValueKind);
        Assert.Equal(["END"], stop.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void EmptyStopArray_TreatedAsAbsent()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","stop":[]}""");

        Assert.False(TranslationJson.Parse(translation.OllamaBody).Has("options"));
    }

    [Fact]
    public void EmptySuffix_NotSent()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","suffix":""}""");

        Assert.False(TranslationJson.Parse(translation.OllamaBody).Has("suffix"));
    }

    [Fact]
    public void NullOptionalFields_TreatedAsAbsent()
    {
        CompletionTranslation translation = Translate(
            """
            {"model":"m","prompt":"p","suffix":null,"max_tokens":null,"stop":null,"temperature":null,"top_p":null,
             "seed":null,"presence_penalty":null,"frequency_penalty":null,"stream":null,"stream_options":null,
             "user":null,"echo":null,"n":null,"best_of":null,"logprobs":null,"logit_bias":null}
            """);

        JsonElement body = TranslationJson.Parse(translation.OllamaBody);
        Assert.Equal(["model", "prompt", "stream"], body.Names());
        Assert.False(body.GetProperty("stream").GetBoolean());
        Assert.False(translation.Stream);
        Assert.Null(translation.User);
    }

    [Fact]
    public void StreamTrueWithoutStreamOptions_NoUsage()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","stream":true}""");

        Assert.True(translation.Stream);
        Assert.False(translation.IncludeUsage);
        Assert.True(TranslationJson.Parse(translation.OllamaBody).GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void IncludeUsageWithoutStream_IsNotReported()
    {
        CompletionTranslation translation = Translate(
            """{"model":"m","prompt":"p","stream":false,"stream_options":{"include_usage":true}}""");

        Assert.False(translation.Stream);
        Assert.False(translation.IncludeUsage);
    }

    [Fact]
    public void IncludeObfuscation_AcceptedAndDropped()
    {
        CompletionTranslation translation = Translate(
            """{"model":"m","prompt":"p","stream":true,"stream_options":{"include_usage":false,"include_obfuscation":true}}""");

        Assert.False(translation.IncludeUsage);
        Assert.DoesNotContain("obfuscation", Encoding.UTF8.GetString(translation.OllamaBody));
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"p","echo":false}""")]
    [InlineData("""{"model":"m","prompt":"p","n":1}""")]
    [InlineData("""{"model":"m","prompt":"p","best_of":1}""")]
    [InlineData("""{"model":"m","prompt":"p","logit_bias":{}}""")]
    public void NeutralValuesOfRefusableFields_Accepted(string json)
    {
        CompletionTranslation translation = Translate(json);

        Assert.Equal(["model", "prompt", "stream"], TranslationJson.Parse(translation.OllamaBody).Names());
    }

    [Fact]
    public void PlatformOnlyFields_AcceptedAndNotForwarded()
    {
        CompletionTranslation translation = Translate(
            """{"model":"m","prompt":"p","store":true,"metadata":{"team":"x"},"service_tier":"auto"}""");

        Assert.Equal(["model", "prompt", "stream"], TranslationJson.Parse(translation.OllamaBody).Names());
    }

    [Fact]
    public void MultiByteUtf8Prompt_ForwardedIntactAsRawUtf8()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"héllo 🦙 \"quoted\" 日本語\n"}""");

        Assert.Equal("héllo 🦙 \"quoted\" 日本語\n", TranslationJson.Parse(translation.OllamaBody).GetProperty("prompt").GetString());

        // The body only goes to Ollama, so BMP text travels as raw UTF-8 rather than inflated \u escapes. (The
        // encoder still escapes characters beyond the BMP, like the emoji, which round-trips as checked above.)
        Assert.True(translation.OllamaBody.AsSpan().IndexOf("héllo"u8) >= 0);
        Assert.True(translation.OllamaBody.AsSpan().IndexOf("日本語"u8) >= 0);
    }

    [Fact]
    public void EscapedPrompt_Unescaped()
    {
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"caf\u00e9 \ud83e\udd99"}""");

        Assert.Equal("café 🦙", TranslationJson.Parse(translation.OllamaBody).GetProperty("prompt").GetString());
    }

    [Fact]
    public void LargeWholeNumbers_KeptExactly()
    {
        CompletionTranslation translation = Translate(
            """{"model":"m","prompt":"p","seed":9007199254740993,"max_tokens":2147483647}""");

        JsonElement options = TranslationJson.Parse(translation.OllamaBody).GetProperty("options");
        Assert.Equal(9007199254740993, options.GetProperty("seed").GetInt64());
        Assert.Equal(int.MaxValue, options.GetProperty("num_predict").GetInt32());
    }

    [Fact]
    public void ZeroSamplerValues_SentAsGiven()
    {
        // Ollama's layer turns top_p 0 into 1.0; the gateway sends what the client asked for.
        CompletionTranslation translation = Translate("""{"model":"m","prompt":"p","temperature":0,"top_p":0}""");

        JsonElement options = TranslationJson.Parse(translation.OllamaBody).GetProperty("options");
        Assert.Equal(0, options.GetProperty("temperature").GetDouble());
        Assert.Equal(0, options.GetProperty("top_p").GetDouble());
    }

    internal static CompletionTranslation Translate(string json) => Translate(Encoding.UTF8.GetBytes(json));

    internal static CompletionTranslation Translate(byte[] json)
    {
        (CompletionTranslation? translation, TranslationError? error) = CompletionRequestTranslator.Translate(json);
        Assert.Null(error);
        Assert.NotNull(translation);
        return translation;
    }
}
