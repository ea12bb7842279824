using System.Net;
using OllamaGateway.Emulator;

namespace OllamaGateway.Tests.Emulator;

public sealed class ErrorEmulatorTests
{
    [Theory]
    [InlineData("/api/chat", """{"model":"nope","messages":[{"role":"user","content":"x"}]}""", "model 'nope' not found")]
    [InlineData("/api/generate", """{"model":"nope","prompt":"x"}""", "model 'nope' not found")]
    [InlineData("/api/show", """{"model":"nope"}""", "model 'nope' not found")]
    [InlineData("/api/embed", """{"model":"nope","input":"x"}""", "model \"nope\" not found, try pulling it first")]
    [InlineData("/api/embeddings", """{"model":"nope","prompt":"x"}""", "model \"nope\" not found, try pulling it first")]
    public async Task UnknownModel_Returns404WithEndpointText(string path, string body, string expected)
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, path, body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(expected, await EmulatorHttp.ReadErrorAsync(response));
    }

    [Theory]
    [InlineData("/api/chat", "", "missing request body")]
    [InlineData("/api/chat", """{"messages":[]}""", "model is required")]
    [InlineData("/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":[{"type":"text"}]}]}""",
        "json: cannot unmarshal array into Go struct field Message.messages.content of type string")]
    [InlineData("/api/chat", """{"model":"llama3.2","stream":"yes"}""",
        "json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool")]
    [InlineData("/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"x","images":["data:image/png;base64,AAAA"]}]}""",
        "illegal base64 data at input byte 4")]
    [InlineData("/api/chat", "{\"model\":", "unexpected EOF")]
    [InlineData("/api/chat", "hello", "invalid character 'h' looking for beginning of value")]
    [InlineData("/api/generate", "", "missing request body")]
    [InlineData("/api/show", "{}", "model is required")]
    [InlineData("/api/embed", """{"model":"nomic-embed-text","input":[[1,2,3]]}""", "invalid input type")]
    public async Task BadRequestBody_Returns400WithGoLikeMessage(string path, string body, string expected)
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await EmulatorHttp.ReadErrorAsync(response));
    }

    [Fact]
    public async Task StopAsBareString_Returns500TypedOptionError()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"llama3.2","options":{"stop":"\n"},"messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("option \"stop\" must be of type array", await EmulatorHttp.ReadErrorAsync(response));
    }

    [Fact]
    public async Task UnknownRoute_Returns404PlainText()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", EmulatorHttp.ContentType(response)?.MediaType);
        Assert.Equal("404 page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KnownRouteWrongMethod_Returns405PlainText()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await client.GetAsync("/api/chat");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("405 method not allowed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FailNextRequests_AnswersInjectedStatusOnceThenRecovers()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        emulator.FailNextRequests(1);

        using var failed = await client.GetAsync("/api/tags");
        using var recovered = await client.GetAsync("/api/tags");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("server busy, please try again.  maximum pending requests exceeded", await EmulatorHttp.ReadErrorAsync(failed));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }
}
