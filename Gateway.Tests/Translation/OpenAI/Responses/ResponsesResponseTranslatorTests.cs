using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Responses;

namespace OllamaGateway.Tests.Translation.OpenAI.Responses;

public sealed class ResponsesResponseTranslatorTests
{
    private static JsonElement Translate(string request, string ollama, out TranslatedAnswer answer)
    {
        var (translation, error) = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(request));
        Assert.Null(error);
        answer = ResponsesResponseTranslator.Translate(Encoding.UTF8.GetBytes(ollama), translation!, "resp_1", 1_755_820_800);
        return TranslationJson.Parse(answer.Json!);
    }

    [Fact]
    public void Answer_IsAResponseObjectEchoingTheRequest()
    {
        JsonElement response = Translate(
            """{"model":"m","input":"hi","instructions":"Be brief.","max_output_tokens":50,"temperature":0.5,"tools":[{"type":"function","name":"f"}],"text":{"format":{"type":"text"},"verbosity":"low"},"store":true}""",
            """{"model":"m","message":{"role":"assistant","content":"Hi","thinking":"Greet."},"done":true,"done_reason":"stop","prompt_eval_count":7,"eval_count":3}""",
            out var answer);

        Assert.Equal("resp_1", response.GetProperty("id").GetString());
        Assert.Equal("response", response.GetProperty("object").GetString());
        Assert.Equal(1_755_820_800, response.GetProperty("created_at").GetInt64());
        Assert.Equal("completed", response.GetProperty("status").GetString());
        Assert.Equal("Be brief.", response.GetProperty("instructions").GetString());
        Assert.Equal(50, response.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal("f", response.GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.Equal("low", response.GetProperty("text").GetProperty("verbosity").GetString());
        Assert.False(response.GetProperty("store").GetBoolean());
        var output = response.GetProperty("output");
        Assert.Equal(["reasoning", "message"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("Greet.", output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal("""{"type":"output_text","text":"Hi","annotations":[],"logprobs":[]}""", output[1].GetProperty("content")[0].GetRawText());
        Assert.Equal("""{"input_tokens":7,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":10}""", response.GetProperty("usage").GetRawText());
        Assert.Equal(new TokenUsage(7, 3), answer.Usage);
    }

    [Fact]
    public void TextWithCalls_KeepsBoth_AndALengthCutIsIncomplete()
    {
        JsonElement response = Translate(
            """{"model":"m","input":"hi","tools":[{"type":"function","name":"f"}]}""",
            """{"model":"m","message":{"role":"assistant","content":"Calling.","tool_calls":[{"function":{"name":"f","arguments":{}}}]},"done":true,"done_reason":"length","eval_count":3}""",
            out _);

        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        var output = response.GetProperty("output");
        Assert.Equal(["message", "function_call"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.StartsWith("call_", output[1].GetProperty("call_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("{}", output[1].GetProperty("arguments").GetString());
    }
}
