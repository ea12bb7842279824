using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// One access-log line per request, category <c>OllamaGateway.Access</c> at Information: who, from where, what, where it
/// went, how it ended, how long, how many tokens. With the console's JSON formatter each line is one JSON object whose
/// state holds those fields; <c>Gateway:AccessLog:Enabled=false</c> silences it.
/// </summary>
public sealed class AccessLogTests
{
    private const string Category = "OllamaGateway.Access";

    [Fact]
    public async Task EachRequest_WritesOneLineWithItsFacts()
    {
        var recorder = new RecordingLoggerProvider();
        await using var host = await GatewayTestHost.StartAsync(configure: builder => builder.Logging.AddProvider(recorder));
        using var client = host.CreateClient();
        using var anonymous = host.CreateClient(key: null);

        using var chat = await client.PostAsync("v1/chat/completions", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        using var refused = await anonymous.GetAsync("api/tags?api_key=sk-not-logged-0123456789");
        var usage = JsonDocument.Parse(await chat.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        await host.App.StopAsync();

        var lines = recorder.Entries.Where(entry => entry.Category == Category).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(LogLevel.Information, line.Level));
        var translated = lines[0].Message;
        Assert.StartsWith("POST /v1/chat/completions 200 completed key=keys[0] reason=- client=127.0.0.1 route=/v1/chat/completions model=llama3.2 upstream=default", translated, StringComparison.Ordinal);
        Assert.Contains($"prompt_tokens={usage.GetProperty("prompt_tokens").GetInt64()} completion_tokens={usage.GetProperty("completion_tokens").GetInt64()} estimated=False", translated, StringComparison.Ordinal);
        Assert.StartsWith("GET /api/tags 401 refused key=- reason=MissingKey client=127.0.0.1 route=/api/tags model=- upstream=-", lines[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-not-logged", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLogOff_WritesNoLine()
    {
        var recorder = new RecordingLoggerProvider();
        await using var host = await GatewayTestHost.StartAsync(configure: builder => builder.Logging.AddProvider(recorder), extraArgs: "--Gateway:AccessLog:Enabled=false");
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        await host.App.StopAsync();

        Assert.DoesNotContain(recorder.Entries, entry => entry.Category == Category);
    }

    [Fact]
    public async Task JsonConsoleFormatter_WritesEachLineAsOneObjectWithTheFields()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var directory = new TempDirectory();
        await using var gateway = StartServer(emulator, directory, "--Logging:Console:FormatterName=json");
        using var client = await ClientOfAsync(gateway);

        using var chat = await client.PostAsync("api/chat", new StringContent("""{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var answer = JsonDocument.Parse(await chat.Content.ReadAsStringAsync()).RootElement;
        Assert.True(await gateway.StopAsync(TimeSpan.FromSeconds(60)), gateway.Output);

        var line = gateway.Output.Split('\n')
            .Where(text => text.StartsWith('{'))
            .Select(text => JsonDocument.Parse(text).RootElement)
            .Single(json => json.GetProperty("Category").GetString() == Category);
        var state = line.GetProperty("State");
        Assert.Equal("alice", state.GetProperty("Key").GetString());
        Assert.Equal("/api/chat", state.GetProperty("Route").GetString());
        Assert.Equal("llama3.2", state.GetProperty("Model").GetString());
        Assert.Equal("default", state.GetProperty("Upstream").GetString());
        Assert.Equal("completed", state.GetProperty("Outcome").GetString());
        Assert.Equal("200", state.GetProperty("Status").ToString());
        Assert.Equal(answer.GetProperty("prompt_eval_count").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), state.GetProperty("PromptTokens").ToString());
        Assert.Equal(answer.GetProperty("eval_count").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), state.GetProperty("CompletionTokens").ToString());
    }

    [Fact]
    public async Task RealServer_WritesEachRequestsLineOnce_WhileItRuns()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var directory = new TempDirectory();
        await using var gateway = StartServer(emulator, directory);
        using var client = await ClientOfAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tags")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/version")).StatusCode);

        // The server batches access-log lines, but writes them within a moment, not only when it stops.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (AccessLines(gateway.Output).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The access-log lines were not written while the server ran:\n{gateway.Output}");
            await Task.Delay(20);
        }

        Assert.True(await gateway.StopAsync(TimeSpan.FromSeconds(60)), gateway.Output);

        // Once each: the console logger does not write them as well.
        var lines = AccessLines(gateway.Output);
        Assert.Equal(2, lines.Count);
        Assert.Contains("GET /api/tags 200 completed key=alice", lines[0], StringComparison.Ordinal);
        Assert.Contains("GET /api/version 200 completed key=alice", lines[1], StringComparison.Ordinal);
    }

    // The real server process, alice's key in keys.json, in front of the emulator.
    private static GatewayProcess StartServer(OllamaEmulator emulator, TempDirectory directory, params string[] settings)
    {
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys": [{"name": "alice", "key": "sk-alice-0123456789"}]}""");
        return GatewayProcess.Start(DotnetCli.HostPath, directory.Path,
            ["exec", Path.Combine(AppContext.BaseDirectory, "Gateway.Server.dll"),
             "--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={emulator.BaseAddress.ToString().TrimEnd('/')}", .. settings]);
    }

    private static async Task<HttpClient> ClientOfAsync(GatewayProcess gateway)
    {
        var client = new HttpClient { BaseAddress = await gateway.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", "sk-alice-0123456789");
        return client;
    }

    // The simple formatter writes "info: Category[event]" and the message on the next line.
    private static List<string> AccessLines(string output)
    {
        var lines = output.Split('\n');
        return [.. lines.Select((line, i) => (line, i)).Where(pair => pair.line.StartsWith($"info: {Category}[5100]", StringComparison.Ordinal) && pair.i + 1 < lines.Length).Select(pair => lines[pair.i + 1].Trim())];
    }
}
