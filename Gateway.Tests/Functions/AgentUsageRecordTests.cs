using System.Text.Json;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;

namespace OllamaGateway.Tests.Functions;

/// <summary>
/// The per-request record (what accounting reads) gets Ollama's exact counts on both agent routes, streamed or not,
/// the end user the client named, and an estimate only for a stream that broke off.
/// </summary>
public sealed class AgentUsageRecordTests : IAsyncLifetime
{
    private GatewayTestHost _server = null!;
    private FunctionsHarness _functions = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayTestHost.StartAsync(new EmulatorOptions());
        _functions = await FunctionsHarness.StartAsync(_server.Emulator.BaseAddress.ToString(), _server.KeysFile);
    }

    public async Task DisposeAsync()
    {
        await _functions.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<RequestRecord> RunAsync(string path, string body)
    {
        var context = FunctionsHarness.CreateContext("POST", path, GatewayTestHost.Key, body);
        await _functions.Pipeline.InvokeAsync(context);
        Assert.Equal(200, context.Response.StatusCode);
        return context.Features.Get<RequestRecord>()!;
    }

    /// <summary>The counts the emulator reported on its final line for the last request.</summary>
    private static (long Prompt, long Completion) Reported(string ndjsonOrJson)
    {
        var last = ndjsonOrJson.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        var root = JsonDocument.Parse(last).RootElement;
        return (root.GetProperty("prompt_eval_count").GetInt64(), root.GetProperty("eval_count").GetInt64());
    }

    [Theory]
    [InlineData("/v1/messages", """{"model":"llama3.2","max_tokens":50,"stream":STREAM,"metadata":{"user_id":"user_7"},"messages":[{"role":"user","content":"Say hello to everyone here"}]}""", "user_7")]
    [InlineData("/v1/responses", """{"model":"llama3.2","stream":STREAM,"user":"alice","input":"Say hello to everyone here"}""", "alice")]
    public async Task Answers_RecordOllamasExactCountsAndTheEndUser(string path, string body, string endUser)
    {
        foreach (var stream in new[] { "false", "true" })
        {
            _server.Emulator.ClearRequests();
            RequestRecord record = await RunAsync(path, body.Replace("STREAM", stream, StringComparison.Ordinal));

            // The same native body, asked of Ollama directly: its final line's counts are what the record must hold.
            using var ollama = new HttpClient();
            using var direct = await ollama.PostAsync(
                new Uri(_server.Emulator.BaseAddress, "api/chat"),
                new StringContent(_server.Emulator.Requests[0].BodyText, System.Text.Encoding.UTF8, "application/json"));
            var (prompt, completion) = Reported(await direct.Content.ReadAsStringAsync());
            Assert.Equal(prompt, record.PromptTokens);
            Assert.Equal(completion, record.CompletionTokens);
            Assert.False(record.TokensEstimated);
            Assert.Equal(endUser, record.EndUser);
            Assert.Equal("llama3.2", record.RequestedModel);
        }
    }

    [Theory]
    [InlineData("/v1/messages", """{"model":"llama3.2","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}""")]
    [InlineData("/v1/responses", """{"model":"llama3.2","stream":true,"input":"Say hello"}""")]
    public async Task BrokenStream_RecordsAnEstimateFromTheChunksRelayed(string path, string body)
    {
        _server.Emulator.Options.MidStreamErrorAfterLines = 3;

        RequestRecord record = await RunAsync(path, body);

        Assert.True(record.TokensEstimated);
        Assert.Equal(3, record.CompletionTokens);
    }
}
