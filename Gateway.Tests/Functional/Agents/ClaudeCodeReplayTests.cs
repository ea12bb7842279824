using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional.Agents;

/// <summary>
/// Claude Code's traffic, as it sends it (reference §4): its headers, <c>?beta=true</c>, system blocks with
/// <c>cache_control</c> and the attribution block, twenty-odd tools without <c>type</c>, adaptive or enabled thinking with
/// <c>output_config.effort</c>, <c>context_management</c>, <c>metadata.user_id</c>, a large <c>max_tokens</c>, streamed; a
/// multi-turn tool loop and the side calls (title, count_tokens). Every turn must be answered, none refused.
/// </summary>
public sealed class ClaudeCodeReplayTests : IAsyncLifetime
{
    private static readonly string[] ToolNames =
    [
        "Task", "Bash", "Glob", "Grep", "ExitPlanMode", "Read", "Edit", "MultiEdit", "Write", "NotebookEdit", "WebFetch",
        "TodoWrite", "WebSearch", "BashOutput", "KillShell", "SlashCommand", "mcp__ide__getDiagnostics", "mcp__ide__executeCode",
        "ListMcpResourcesTool", "ReadMcpResourceTool", "AskUserQuestion",
    ];

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(new EmulatorOptions());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Claude Code's client: <c>ANTHROPIC_AUTH_TOKEN</c> as a bearer token, or <c>ANTHROPIC_API_KEY</c> as x-api-key.</summary>
    private HttpClient ClaudeCode(bool bearer)
    {
        var client = new HttpClient { BaseAddress = _host.BaseAddress };
        var headers = client.DefaultRequestHeaders;
        if (bearer)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayTestHost.Key);
        }
        else
        {
            headers.Add("x-api-key", GatewayTestHost.Key);
        }

        headers.Add("anthropic-version", "2023-06-01");
        headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,prompt-caching-scope-2026-01-05,effort-2025-11-24");
        headers.Add("x-app", "cli");
        headers.TryAddWithoutValidation("User-Agent", "claude-cli/2.1.45 (external, cli)");
        headers.Add("anthropic-dangerous-direct-browser-access", "true");
        headers.Add("X-Stainless-Lang", "js");
        headers.Add("X-Stainless-Retry-Count", "0");
        headers.Add("X-Stainless-Timeout", "600");
        headers.Accept.ParseAdd("application/json");
        return client;
    }

    private static JsonObject MainRequest(string model, JsonArray messages) => new()
    {
        ["model"] = model,
        ["messages"] = messages,
        ["temperature"] = 1,
        ["system"] = new JsonArray
        {
            new JsonObject { ["type"] = "text", ["text"] = "x-anthropic-billing-header: cc_version=2.1.45.a1b; cc_entrypoint=cli;" },
            new JsonObject { ["type"] = "text", ["text"] = "You are Claude Code, Anthropic's official CLI for Claude.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } },
            new JsonObject { ["type"] = "text", ["text"] = "You are an interactive CLI tool that helps users with software engineering tasks.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral", ["scope"] = "global" } },
        },
        ["tools"] = Tools(),
        ["metadata"] = new JsonObject { ["user_id"] = "user_4f1c_account__session_9e2d7a" },
        ["max_tokens"] = 32000,
        ["thinking"] = new JsonObject { ["type"] = "adaptive" },
        ["output_config"] = new JsonObject { ["effort"] = "medium" },
        ["context_management"] = new JsonObject { ["edits"] = new JsonArray { new JsonObject { ["type"] = "clear_thinking_20251015", ["keep"] = "all" } } },
        ["stream"] = true,
    };

    private static JsonArray Tools()
    {
        var tools = new JsonArray();
        foreach (var name in ToolNames)
        {
            tools.Add(new JsonObject
            {
                ["name"] = name,
                ["description"] = $"The {name} tool.",
                ["input_schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["file_path"] = new JsonObject { ["type"] = "string", ["description"] = "The absolute path." } },
                    ["required"] = new JsonArray("file_path"),
                    ["additionalProperties"] = false,
                    ["$schema"] = "http://json-schema.org/draft-07/schema#",
                },
            });
        }

        // The last tool carries the cache breakpoint, as Claude Code marks it.
        tools[^1]!["cache_control"] = new JsonObject { ["type"] = "ephemeral" };
        return tools;
    }

    private static JsonObject UserText(string text, bool cacheControl = true)
    {
        var block = new JsonObject { ["type"] = "text", ["text"] = text };
        if (cacheControl)
        {
            block["cache_control"] = new JsonObject { ["type"] = "ephemeral" };
        }

        return new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "<system-reminder>As you answer the user's questions, you can use the following context.</system-reminder>" }, block } };
    }

    private static async Task<List<SseFrame>> StreamAsync(HttpClient client, JsonObject body)
    {
        using var response = await client.PostAsync("v1/messages?beta=true", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frames = await SseFrame.ReadAllAsync(response);
        Assert.DoesNotContain(frames, f => f.Event == "error");
        Assert.Equal("message_start", frames[0].Event);
        Assert.Equal("message_delta", frames[^2].Event);
        Assert.Equal("message_stop", frames[^1].Event);
        return frames;
    }

    /// <summary>Rebuilds the assistant turn from the stream, as Claude Code does, to send it back next turn.</summary>
    private static JsonObject AssistantTurn(List<SseFrame> frames)
    {
        var content = new JsonArray();
        var partial = new StringBuilder();
        foreach (var frame in frames)
        {
            switch (frame.Event)
            {
                case "content_block_start":
                    content.Add(JsonNode.Parse(frame.Data.GetProperty("content_block").GetRawText()));
                    partial.Clear();
                    break;
                case "content_block_delta":
                    var delta = frame.Data.GetProperty("delta");
                    var block = content[^1]!;
                    switch (delta.GetProperty("type").GetString())
                    {
                        case "text_delta":
                            block["text"] = block["text"]!.GetValue<string>() + delta.GetProperty("text").GetString();
                            break;
                        case "thinking_delta":
                            block["thinking"] = block["thinking"]!.GetValue<string>() + delta.GetProperty("thinking").GetString();
                            break;
                        case "input_json_delta":
                            partial.Append(delta.GetProperty("partial_json").GetString());
                            break;
                    }

                    break;
                case "content_block_stop":
                    if (content[^1]!["type"]!.GetValue<string>() == "tool_use")
                    {
                        content[^1]!["input"] = JsonNode.Parse(partial.Length == 0 ? "{}" : partial.ToString());
                    }

                    break;
            }
        }

        return new JsonObject { ["role"] = "assistant", ["content"] = content };
    }

    private static string StopReason(List<SseFrame> frames) => frames[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString()!;

    [Theory]
    [InlineData("qwen3", true)]
    [InlineData("llama3.2", false)]
    public async Task ToolLoop_EveryTurnIsAnsweredAsClaudeCodeSendsIt(string model, bool bearer)
    {
        using var client = ClaudeCode(bearer);

        // Start-up probe.
        using (var probe = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/")))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        // Turn 1: the user asks; the model calls Read.
        var messages = new JsonArray { UserText("Please read README.md and summarize it.") };
        var first = await StreamAsync(client, MainRequest(model, messages));
        Assert.Equal("tool_use", StopReason(first));
        var assistant = AssistantTurn(first);
        var toolUse = assistant["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("Read", toolUse["name"]!.GetValue<string>());
        Assert.Equal(model == "qwen3", assistant["content"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == "thinking"));

        // Turn 2: the tool result goes back with the assistant turn as received (thinking with its empty signature included).
        messages.Add(assistant);
        messages.Add(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "tool_result", ["tool_use_id"] = toolUse["id"]!.GetValue<string>(),
                    ["content"] = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "     1\t# Demo\n     2\tA demo project." } },
                    ["cache_control"] = new JsonObject { ["type"] = "ephemeral" },
                },
            },
        });
        var second = await StreamAsync(client, MainRequest(model, JsonNode.Parse(messages.ToJsonString())!.AsArray()));
        Assert.Equal("end_turn", StopReason(second));
        Assert.Contains(_host.Emulator.Options.Reply, AssistantTurn(second)["content"]!.ToJsonString(), StringComparison.Ordinal);

        // Turn 3: a follow-up question.
        messages.Add(AssistantTurn(second));
        messages.Add(UserText("Thanks. Anything else?"));
        var third = await StreamAsync(client, MainRequest(model, JsonNode.Parse(messages.ToJsonString())!.AsArray()));
        Assert.Equal("end_turn", StopReason(third));

        // What Ollama got on the last turn: the whole conversation, the tool result named after its call.
        var sent = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement;
        var native = sent.GetProperty("messages");
        Assert.Equal("system", native[0].GetProperty("role").GetString());
        Assert.Contains("You are Claude Code", native[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "user"], native.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Read", native[3].GetProperty("tool_name").GetString());
        Assert.Equal(ToolNames.Length, sent.GetProperty("tools").GetArrayLength());
        Assert.Equal(8192, sent.GetProperty("options").GetProperty("num_predict").GetInt32()); // 32000 within the gateway's cap
        Assert.Equal(4, _host.Emulator.Requests.Count); // the probe and three turns
    }

    [Fact]
    public async Task SideCalls_TitleAndCountTokens_AreAnswered()
    {
        using var client = ClaudeCode(bearer: true);

        // The small, non-streamed title call Claude Code makes beside the main turn.
        var title = new JsonObject
        {
            ["model"] = "llama3.2",
            ["max_tokens"] = 512,
            ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = "Please read README.md and summarize it." } },
            ["system"] = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "Summarize this coding conversation in under 50 characters." } },
            ["temperature"] = 0,
            ["metadata"] = new JsonObject { ["user_id"] = "user_4f1c_account__session_9e2d7a" },
            ["stream"] = false,
        };
        using (var response = await client.PostAsync("v1/messages?beta=true", new StringContent(title.ToJsonString(), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("message", message.GetProperty("type").GetString());
            Assert.Equal(_host.Emulator.Options.Reply, message.GetProperty("content")[0].GetProperty("text").GetString());
        }

        // /context's count, with the token-counting beta.
        var count = MainRequest("llama3.2", new JsonArray { UserText("How big is this?") });
        count.Remove("max_tokens");
        count.Remove("stream");
        count.Remove("metadata");
        count.Remove("temperature");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages/count_tokens?beta=true") { Content = new StringContent(count.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-beta", "token-counting-2024-11-01");
        using var counted = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        Assert.True(JsonDocument.Parse(await counted.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt64() > 0);
        Assert.Single(_host.Emulator.Requests);
    }
}
