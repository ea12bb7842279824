using System.Net;
using System.Text.Json;
using OllamaGateway.Emulator;

namespace OllamaGateway.Tests.Emulator;

public sealed class ChatEmulatorTests
{
    private const string Hello = """{"model":"llama3.2","messages":[{"role":"user","content":"say hello"}]}""";

    [Fact]
    public async Task StreamingChat_WritesOneNdjsonLinePerTokenThenDoneLineWithMetrics()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat", Hello);
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", EmulatorHttp.ContentType(response)?.MediaType);
        Assert.Equal(5, lines.Count);
        Assert.All(lines[..^1], l => Assert.False(l.GetProperty("done").GetBoolean()));
        Assert.All(lines[..^1], l => Assert.False(l.TryGetProperty("done_reason", out _)));
        Assert.Equal("Hello from the emulator.", string.Concat(lines.Select(l => l.GetProperty("message").GetProperty("content").GetString())));
        var final = lines[^1];
        Assert.True(final.GetProperty("done").GetBoolean());
        Assert.Equal("stop", final.GetProperty("done_reason").GetString());
        Assert.Equal("llama3.2", final.GetProperty("model").GetString());
        Assert.Equal(4, final.GetProperty("eval_count").GetInt32());
        Assert.Equal(2 + 4, final.GetProperty("prompt_eval_count").GetInt32());
        foreach (var metric in new[] { "total_duration", "load_duration", "prompt_eval_duration", "eval_duration" })
        {
            Assert.True(final.GetProperty(metric).GetInt64() > 0, metric);
        }
    }

    [Fact]
    public async Task Logprobs_EachStreamedLineCarriesItsTokenAndTheReplyCollectsThemAll()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        const string Asked = """{"model":"llama3.2","logprobs":true,"top_logprobs":3,"messages":[{"role":"user","content":"hi"}]""";

        using var streamed = await EmulatorHttp.PostAsync(client, "/api/chat", Asked + "}");
        var lines = await EmulatorHttp.ReadNdjsonAsync(streamed);
        using var whole = await EmulatorHttp.PostAsync(client, "/api/chat", Asked + ""","stream":false}""");
        var body = await EmulatorHttp.ReadJsonAsync(whole);

        foreach (var line in lines[..^1])
        {
            var entry = Assert.Single(line.GetProperty("logprobs").EnumerateArray());
            Assert.Equal(line.GetProperty("message").GetProperty("content").GetString(), entry.GetProperty("token").GetString());
            Assert.True(entry.GetProperty("logprob").GetDouble() <= 0);
            Assert.NotEmpty(entry.GetProperty("bytes").EnumerateArray());
            Assert.Equal(3, entry.GetProperty("top_logprobs").GetArrayLength());
        }

        Assert.False(lines[^1].TryGetProperty("logprobs", out _));
        Assert.Equal(
            lines[..^1].Select(l => l.GetProperty("logprobs")[0].GetRawText()),
            body.GetProperty("logprobs").EnumerateArray().Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task NoLogprobsAsked_NoLogprobsKey()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat", Hello);
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.All(lines, l => Assert.False(l.TryGetProperty("logprobs", out _)));
    }

    [Fact]
    public async Task NonStreamingChat_ReturnsOneJoinedObject()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"Llama3.2:latest","stream":false,"messages":[{"role":"user","content":"hi"}]}""");
        var body = await EmulatorHttp.ReadJsonAsync(response);

        Assert.Equal("application/json", EmulatorHttp.ContentType(response)?.MediaType);
        Assert.Equal("Llama3.2:latest", body.GetProperty("model").GetString());
        Assert.Equal("assistant", body.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Hello from the emulator.", body.GetProperty("message").GetProperty("content").GetString());
        Assert.True(body.GetProperty("done").GetBoolean());
        Assert.Equal("stop", body.GetProperty("done_reason").GetString());
    }

    [Fact]
    public async Task ChunkCountOption_EmitsThatManyTokens()
    {
        await using var emulator = await OllamaEmulator.StartAsync(new EmulatorOptions { ChunkCount = 256 });
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat", Hello);
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.Equal(257, lines.Count);
        Assert.Equal(256, lines[^1].GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task NumPredict_CutsReplyWithLengthReason()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"llama3.2","stream":false,"options":{"num_predict":2},"messages":[{"role":"user","content":"hi"}]}""");
        var body = await EmulatorHttp.ReadJsonAsync(response);

        Assert.Equal("Hello from", body.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", body.GetProperty("done_reason").GetString());
        Assert.Equal(2, body.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task StopOption_EndsReplyBeforeStopString()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"llama3.2","stream":false,"options":{"stop":[" the"]},"messages":[{"role":"user","content":"hi"}]}""");
        var body = await EmulatorHttp.ReadJsonAsync(response);

        Assert.Equal("Hello from", body.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", body.GetProperty("done_reason").GetString());
    }

    [Theory]
    [InlineData("""{"model":"llama3.2","messages":[]}""", "load")]
    [InlineData("""{"model":"llama3.2","messages":[],"keep_alive":0}""", "unload")]
    [InlineData("""{"model":"llama3.2","messages":[],"keep_alive":"0s"}""", "unload")]
    public async Task EmptyMessages_AnswerLoadOrUnloadAsSingleObject(string body, string doneReason)
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat", body);
        var json = await EmulatorHttp.ReadJsonAsync(response);

        Assert.Equal("application/json", EmulatorHttp.ContentType(response)?.MediaType);
        Assert.Equal(doneReason, json.GetProperty("done_reason").GetString());
        Assert.True(json.GetProperty("done").GetBoolean());
        Assert.False(json.TryGetProperty("eval_count", out _));
    }

    [Fact]
    public async Task ToolsWithToolCallReply_ReturnToolCallWithObjectArguments()
    {
        var options = new EmulatorOptions { ToolCallReply = new EmulatorToolCall { ArgumentsJson = """{"city":"Paris"}""" } };
        await using var emulator = await OllamaEmulator.StartAsync(options);
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"llama3.2","stream":false,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}],"messages":[{"role":"user","content":"weather?"}]}""");
        var call = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("message").GetProperty("tool_calls")[0];

        Assert.Matches("^call_[a-z0-9]{8}$", call.GetProperty("id").GetString());
        Assert.Equal(0, call.GetProperty("function").GetProperty("index").GetInt32());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Paris", call.GetProperty("function").GetProperty("arguments").GetProperty("city").GetString());
    }

    [Fact]
    public async Task FormatSchema_ReplyIsJsonWithSchemaProperties()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"llama3.2","stream":false,"format":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}}},"messages":[{"role":"user","content":"x"}]}""");
        var content = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("message").GetProperty("content").GetString()!;
        var reply = JsonDocument.Parse(content).RootElement;

        Assert.Equal(JsonValueKind.String, reply.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Number, reply.GetProperty("age").ValueKind);
    }

    [Fact]
    public async Task ThinkingModel_StreamsThinkingPiecesBeforeContent()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"qwen3","messages":[{"role":"user","content":"hi"}]}""");
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.True(lines[0].GetProperty("message").TryGetProperty("thinking", out _));
        Assert.Equal(emulator.Options.ThinkingReply,
            string.Concat(lines.Select(l => l.GetProperty("message").TryGetProperty("thinking", out var t) ? t.GetString() : "")));
    }

    [Fact]
    public async Task MidStreamErrorOption_WritesErrorLineAndNoDoneLine()
    {
        await using var emulator = await OllamaEmulator.StartAsync(new EmulatorOptions { MidStreamErrorAfterLines = 2 });
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat", Hello);
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, lines.Count);
        Assert.Equal(emulator.Options.MidStreamErrorMessage, lines[2].GetProperty("error").GetString());
        Assert.DoesNotContain(lines, l => l.TryGetProperty("done", out var d) && d.GetBoolean());
    }
}
