using OllamaGateway.Emulator;

namespace OllamaGateway.Tests.Emulator;

/// <summary>How the emulator's model calls tools: after words of its own if asked to, and only when the user asked last.</summary>
public sealed class ToolCallEmulatorTests
{
    private const string Tools = """[{"type":"function","function":{"name":"get_weather","parameters":{}}}]""";

    [Fact]
    public async Task Preamble_StreamsContentLinesBeforeTheToolCallLine_AndTheWholeReplyHasBoth()
    {
        var options = new EmulatorOptions { ToolCallReply = new EmulatorToolCall { ArgumentsJson = """{"city":"Paris"}""", Preamble = "Let me look." } };
        await using var emulator = await OllamaEmulator.StartAsync(options);
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var streamed = await EmulatorHttp.PostAsync(client, "/api/chat",
            $$$$"""{"model":"llama3.2","tools":{{{{Tools}}}},"messages":[{"role":"user","content":"weather?"}]}""");
        var lines = await EmulatorHttp.ReadNdjsonAsync(streamed);

        Assert.Equal(["Let", " me", " look."], lines.Take(3).Select(l => l.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal("get_weather", lines[3].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.Equal("stop", lines[^1].GetProperty("done_reason").GetString());

        using var whole = await EmulatorHttp.PostAsync(client, "/api/chat",
            $$$$"""{"model":"llama3.2","stream":false,"tools":{{{{Tools}}}},"messages":[{"role":"user","content":"weather?"}]}""");
        var message = (await EmulatorHttp.ReadJsonAsync(whole)).GetProperty("message");
        Assert.Equal("Let me look.", message.GetProperty("content").GetString());
        Assert.Equal(1, message.GetProperty("tool_calls").GetArrayLength());
    }

    [Fact]
    public async Task NamedTool_IsCalledOnlyWhenTheConversationEndsWithTheUser()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var asked = await EmulatorHttp.PostAsync(client, "/api/chat",
            $$$$"""{"model":"llama3.2","stream":false,"tools":{{{{Tools}}}},"messages":[{"role":"user","content":"call get_weather"}]}""");
        using var answered = await EmulatorHttp.PostAsync(client, "/api/chat", $$$$"""
            {"model":"llama3.2","stream":false,"tools":{{{{Tools}}}},"messages":[{"role":"user","content":"call get_weather"},
             {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{}}}]},
             {"role":"tool","content":"Sunny","tool_name":"get_weather"}]}
            """);

        Assert.True((await EmulatorHttp.ReadJsonAsync(asked)).GetProperty("message").TryGetProperty("tool_calls", out _));
        var answer = (await EmulatorHttp.ReadJsonAsync(answered)).GetProperty("message");
        Assert.False(answer.TryGetProperty("tool_calls", out _));
        Assert.Equal(emulator.Options.Reply, answer.GetProperty("content").GetString());
    }
}
