using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional.Agents;

/// <summary>
/// The Codex CLI's traffic, as it sends it (reference §4): <c>wire_api="responses"</c>, always streamed, long
/// <c>instructions</c>, the whole history as <c>input</c> every turn (developer and environment messages, reasoning items,
/// calls and their outputs), function, <c>custom</c> (<c>apply_patch</c>), <c>namespace</c> (MCP) and <c>web_search</c> tools,
/// <c>parallel_tool_calls:false</c>, <c>store:false</c>, <c>include</c>, <c>prompt_cache_key</c>, <c>text.verbosity</c>. Codex takes
/// items from <c>response.output_item.done</c> and needs <c>response.completed</c>. Every turn must be answered, none refused.
/// </summary>
public sealed class CodexReplayTests : IAsyncLifetime
{
    private const string Patch = "*** Begin Patch\n*** Update File: README.md\n@@\n-teh demo\n+the demo\n*** End Patch";

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(new EmulatorOptions());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Codex()
    {
        var client = new HttpClient { BaseAddress = _host.BaseAddress };
        var headers = client.DefaultRequestHeaders;
        headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayTestHost.Key);
        headers.Add("originator", "codex_cli_rs");
        headers.Add("version", "0.134.0");
        headers.Add("session_id", "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        headers.Add("conversation_id", "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        headers.TryAddWithoutValidation("User-Agent", "codex_cli_rs/0.134.0 (Debian 13; x86_64) xterm-256color");
        headers.Accept.ParseAdd("text/event-stream");
        return client;
    }

    private static JsonObject Request(string model, JsonArray input, bool reasoning)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["instructions"] = "You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user's computer.",
            ["input"] = input.DeepClone(),
            ["tools"] = Tools(),
            ["tool_choice"] = "auto",
            ["parallel_tool_calls"] = false,
            ["store"] = false,
            ["stream"] = true,
            ["prompt_cache_key"] = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            ["text"] = new JsonObject { ["verbosity"] = "low" },
        };
        if (reasoning)
        {
            body["reasoning"] = new JsonObject { ["effort"] = "medium", ["summary"] = "auto" };
            body["include"] = new JsonArray("reasoning.encrypted_content");
        }
        else
        {
            body["include"] = new JsonArray();
        }

        return body;
    }

    private static JsonArray Tools() => new()
    {
        new JsonObject
        {
            ["type"] = "function", ["name"] = "shell", ["description"] = "Runs a shell command and returns its output.", ["strict"] = false,
            ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}},"workdir":{"type":"string"},"timeout_ms":{"type":"number"}},"required":["command"],"additionalProperties":false}"""),
        },
        new JsonObject
        {
            ["type"] = "custom", ["name"] = "apply_patch", ["description"] = "Use the `apply_patch` tool to edit files.",
            ["format"] = new JsonObject { ["type"] = "grammar", ["syntax"] = "lark", ["definition"] = "start: begin_patch hunk+ end_patch\nbegin_patch: \"*** Begin Patch\" LF" },
        },
        new JsonObject
        {
            ["type"] = "function", ["name"] = "update_plan", ["description"] = "Updates the task plan.", ["strict"] = false,
            ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"plan":{"type":"array","items":{"type":"object"}}},"required":["plan"]}"""),
        },
        new JsonObject
        {
            ["type"] = "namespace", ["name"] = "mcp__docs", ["description"] = "Tools of the docs MCP server.",
            ["tools"] = new JsonArray { new JsonObject { ["type"] = "function", ["name"] = "search", ["description"] = "Searches the docs.", ["strict"] = false, ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"query":{"type":"string"}}}""") } },
        },
        new JsonObject { ["type"] = "web_search", ["external_web_access"] = false },
    };

    private static JsonArray FirstInput(string prompt) => new()
    {
        new JsonObject { ["type"] = "message", ["role"] = "developer", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = "<permissions instructions>Filesystem sandboxing: workspace-write.</permissions instructions>" } } },
        new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = "<environment_context>\n  <cwd>/home/dev/demo</cwd>\n  <shell>bash</shell>\n</environment_context>" } } },
        new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = prompt } } },
    };

    /// <summary>Runs one turn and returns the output items as Codex takes them, from <c>response.output_item.done</c>.</summary>
    private static async Task<(List<JsonNode> Items, JsonElement Completed)> TurnAsync(HttpClient client, JsonObject body)
    {
        using var response = await client.PostAsync("v1/responses", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frames = await SseFrame.ReadAllAsync(response);
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Data.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("response.created", frames[0].Event);
        Assert.Equal("response.completed", frames[^1].Event);
        Assert.DoesNotContain(frames, f => f.Event is "error" or "response.failed");
        var completed = frames[^1].Data.GetProperty("response");
        Assert.StartsWith("resp_", completed.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(completed.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);
        var items = frames.Where(f => f.Event == "response.output_item.done").Select(f => JsonNode.Parse(f.Data.GetProperty("item").GetRawText())!).ToList();
        return (items, completed);
    }

    [Theory]
    [InlineData("qwen3", true)]
    [InlineData("llama3.2", false)]
    public async Task ToolLoop_EveryTurnIsAnsweredAsCodexSendsIt(string model, bool reasoning)
    {
        using var client = Codex();
        var input = FirstInput("Use shell to list the files in this repository.");

        // Turn 1: a function call.
        var (items, _) = await TurnAsync(client, Request(model, input, reasoning));
        var call = items.Single(i => i["type"]!.GetValue<string>() == "function_call");
        Assert.Equal("shell", call["name"]!.GetValue<string>());
        Assert.Equal(reasoning, items.Any(i => i["type"]!.GetValue<string>() == "reasoning"));

        // Turn 2: the whole history again, with the call's output.
        foreach (var item in items)
        {
            input.Add(item.DeepClone());
        }

        input.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = call["call_id"]!.GetValue<string>(), ["output"] = "README.md\nsrc\n" });
        (items, _) = await TurnAsync(client, Request(model, input, reasoning));
        var message = items.Single(i => i["type"]!.GetValue<string>() == "message");
        Assert.Equal(_host.Emulator.Options.Reply, message["content"]![0]!["text"]!.GetValue<string>());

        // Turn 3: apply_patch, a custom tool: the call comes back as a custom_tool_call with the patch as its input.
        foreach (var item in items)
        {
            input.Add(item.DeepClone());
        }

        input.Add(new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = "Fix the typo in README.md." } } });
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "apply_patch", ArgumentsJson = JsonSerializer.Serialize(new { input = Patch }) };
        (items, _) = await TurnAsync(client, Request(model, input, reasoning));
        var patch = items.Single(i => i["type"]!.GetValue<string>() == "custom_tool_call");
        Assert.Equal("apply_patch", patch["name"]!.GetValue<string>());
        Assert.Equal(Patch, patch["input"]!.GetValue<string>());

        // Turn 4: the patch's output; the model answers.
        foreach (var item in items)
        {
            input.Add(item.DeepClone());
        }

        input.Add(new JsonObject { ["type"] = "custom_tool_call_output", ["call_id"] = patch["call_id"]!.GetValue<string>(), ["output"] = "Success. Updated the following files:\nM README.md\n" });
        _host.Emulator.Options.ToolCallReply = null;
        (items, var completed) = await TurnAsync(client, Request(model, input, reasoning));
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Contains(items, i => i["type"]!.GetValue<string>() == "message");

        // What Ollama got on the last turn.
        var sent = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement;
        var roles = sent.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["system", "system", "user", "user", "assistant", "tool", "assistant", "user", "assistant", "tool"], roles);
        var nativeTools = sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).ToList();
        Assert.Equal(["shell", "apply_patch", "update_plan", "mcp__docs.search"], nativeTools);
        var patchCall = sent.GetProperty("messages")[8].GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal(Patch, patchCall.GetProperty("arguments").GetProperty("input").GetString());
        Assert.Equal("apply_patch", sent.GetProperty("messages")[9].GetProperty("tool_name").GetString());
        Assert.Equal(reasoning ? "medium" : null, sent.TryGetProperty("think", out var think) ? think.GetString() : null);
    }

    [Fact]
    public async Task NamespaceCall_ComesBackWithTheMembersNameAndItsNamespace()
    {
        using var client = Codex();
        _host.Emulator.Options.ToolCallReply = new EmulatorToolCall { Name = "mcp__docs.search", ArgumentsJson = """{"query":"install"}""" };

        var (items, _) = await TurnAsync(client, Request("llama3.2", FirstInput("How do I install it?"), reasoning: false));

        var call = items.Single(i => i["type"]!.GetValue<string>() == "function_call");
        Assert.Equal("search", call["name"]!.GetValue<string>());
        Assert.Equal("mcp__docs", call["namespace"]!.GetValue<string>());

        // Sent back as Codex sends it, the call names the same native function.
        var input = FirstInput("How do I install it?");
        input.Add(call.DeepClone());
        input.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = call["call_id"]!.GetValue<string>(), ["output"] = "Run make install." });
        _host.Emulator.Options.ToolCallReply = null;
        await TurnAsync(client, Request("llama3.2", input, reasoning: false));
        var sent = JsonDocument.Parse(_host.Emulator.Requests[^1].Body).RootElement.GetProperty("messages");
        Assert.Equal("mcp__docs.search", sent[4].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("mcp__docs.search", sent[5].GetProperty("tool_name").GetString());
    }

    [Fact]
    public async Task ClientLeavingMidStream_CancelsOllama()
    {
        _host.Emulator.Options.StallAfterLines = 2;
        using var client = Codex();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
        {
            Content = new StringContent(Request("llama3.2", FirstInput("Say hello"), reasoning: false).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && line != "event: response.output_text.delta")
        {
        }

        var upstream = Assert.Single(_host.Emulator.Requests);
        response.Dispose();

        await upstream.Aborted.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
