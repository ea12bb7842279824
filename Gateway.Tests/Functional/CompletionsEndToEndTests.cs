using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>Legacy completions over the wire (the .NET SDK 2.15 has no public client for them).</summary>
public sealed class CompletionsEndToEndTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Completion_ReturnsTextWithUsage()
    {
        using var client = _host.CreateClient();

        using var response = await client.PostAsync("v1/completions", new StringContent("""{"model":"llama3.2","prompt":"Say hello","max_tokens":50}""", Encoding.UTF8, "application/json"));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString());
        Assert.Equal(_host.Emulator.Options.Reply, body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        var sent = Assert.Single(_host.Emulator.Requests);
        Assert.Equal("/api/generate", sent.Path);
        Assert.Equal(50, JsonDocument.Parse(sent.Body).RootElement.GetProperty("options").GetProperty("num_predict").GetInt32());
    }

    [Fact]
    public async Task StreamedCompletion_IsSseEndingInDone()
    {
        using var client = _host.CreateClient();

        using var response = await client.PostAsync("v1/completions", new StringContent("""{"model":"llama3.2","prompt":"Say hello","stream":true}""", Encoding.UTF8, "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("data: [DONE]", events[^1]);
        var text = string.Concat(events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(_host.Emulator.Options.Reply, text);
    }

    [Fact]
    public async Task Echo_IsRefusedWithA400()
    {
        using var client = _host.CreateClient();

        using var response = await client.PostAsync("v1/completions", new StringContent("""{"model":"llama3.2","prompt":"x","echo":true}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("echo", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
