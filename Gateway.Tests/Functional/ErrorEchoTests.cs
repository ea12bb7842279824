using System.Net;
using System.Text;
using System.Text.Json;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// A refusal quotes the client's offending value cut to a short prefix, so an error body stays small whatever the
/// request: an 8 MB model name is not answered with a 24 MB 403.
/// </summary>
public sealed class ErrorEchoTests : IAsyncLifetime
{
    private const int MaxErrorBodyBytes = 2048;
    private const string LimitedKey = "sk-limited-0123456789";
    private const string AdminKey = "sk-admin-0123456789";
    private static readonly string s_hugeName = new('é', 4_000_000);
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(
        keysJson: $$"""{"keys": ["{{GatewayTestHost.Key}}", {"name": "limited", "key": "{{LimitedKey}}", "models": ["llama3.2"]}, {"name": "admin", "key": "{{AdminKey}}", "admin": true}]}""");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string, HttpStatusCode> Refusals => new()
    {
        // 403: a model the key may not use, translated and native.
        { LimitedKey, "v1/embeddings", $$"""{"model":"{{s_hugeName}}","input":"hi"}""", HttpStatusCode.Forbidden },
        { LimitedKey, "v1/chat/completions", $$"""{"model":"{{s_hugeName}}","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.Forbidden },
        { LimitedKey, "api/chat", $$"""{"model":"{{s_hugeName}}","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.Forbidden },
        { LimitedKey, "api/embed", $$"""{"model":"{{s_hugeName}}","input":"hi"}""", HttpStatusCode.Forbidden },

        // 400: a value the translators or the guard refuse, quoted in the message.
        { GatewayTestHost.Key, "v1/chat/completions", $$"""{"model":"llama3.2","messages":[{"role":"{{s_hugeName}}","content":"hi"}]}""", HttpStatusCode.BadRequest },
        { GatewayTestHost.Key, "v1/chat/completions", $$"""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"{{s_hugeName}}":1}""", HttpStatusCode.BadRequest },
        { GatewayTestHost.Key, "v1/chat/completions", $$"""{"model":"llama3.2","messages":[{"role":"user","content":[{"type":"{{s_hugeName}}"}]}]}""", HttpStatusCode.BadRequest },
        { GatewayTestHost.Key, "v1/embeddings", $$"""{"model":"llama3.2","input":"hi","{{s_hugeName}}":1,"{{s_hugeName}}":2}""", HttpStatusCode.BadRequest },
        { GatewayTestHost.Key, "api/chat", $$"""{"model":"llama3.2","messages":[],"{{s_hugeName}}":1,"{{s_hugeName}}":2}""", HttpStatusCode.BadRequest },
        { GatewayTestHost.Key, "api/chat", $$$"""{"model":"llama3.2","options":{"{{{s_hugeName}}}":1,"{{{s_hugeName}}}":1}}""", HttpStatusCode.BadRequest },

        // 403: an admin pulling from a registry that is not allowed.
        { AdminKey, "api/pull", $$"""{"model":"{{new string('e', 2_000_000)}}.example.com/library/x"}""", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task HugeValue_IsQuotedCut_AndTheErrorStaysSmall(string key, string path, string body, HttpStatusCode expected)
    {
        using var client = _host.CreateClient(key);

        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.True(answer.Length < MaxErrorBodyBytes, $"{answer.Length} bytes: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(300, answer.Length)))}");
        var root = JsonDocument.Parse(answer).RootElement.GetProperty("error");
        var message = root.ValueKind == JsonValueKind.String ? root.GetString()! : root.GetProperty("message").GetString()!;
        Assert.Contains("… (cut;", message, StringComparison.Ordinal);
        Assert.Empty(_host.Emulator.Requests);
    }

    [Fact]
    public async Task HugeModelId_OnModelRetrieve_IsQuotedCut()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("v1/models/" + new string('m', 6000));
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(answer.Length < MaxErrorBodyBytes, $"{answer.Length} bytes");
        Assert.Contains("… (cut;", JsonDocument.Parse(answer).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeUnknownPath_IsQuotedCut()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("api/" + new string('p', 6000));
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(answer.Length < MaxErrorBodyBytes, $"{answer.Length} bytes");
    }
}
