using System.Net;
using System.Text.Json;
using OllamaGateway.Emulator;

namespace OllamaGateway.Tests.Emulator;

public sealed class OtherEndpointsEmulatorTests
{
    [Fact]
    public async Task Root_SaysOllamaIsRunning()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await client.GetAsync("/");

        Assert.Equal("text/plain", EmulatorHttp.ContentType(response)?.MediaType);
        Assert.Equal("Ollama is running", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tags_ListsModelsWithFullShape()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await client.GetAsync("/api/tags");
        var model = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("models")[0];

        Assert.Equal("llama3.2:latest", model.GetProperty("name").GetString());
        Assert.Equal("llama3.2:latest", model.GetProperty("model").GetString());
        Assert.True(DateTimeOffset.TryParse(model.GetProperty("modified_at").GetString(), out _));
        Assert.True(model.GetProperty("size").GetInt64() > 0);
        Assert.Equal(64, model.GetProperty("digest").GetString()!.Length);
        var details = model.GetProperty("details");
        foreach (var key in new[] { "parent_model", "format", "family", "families", "parameter_size", "quantization_level" })
        {
            Assert.True(details.TryGetProperty(key, out _), key);
        }
    }

    [Fact]
    public async Task Generate_StreamsResponsePiecesAndContextOnFinalLine()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/generate", """{"model":"llama3.2","prompt":"why is the sky blue"}""");
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.Equal("Hello from the emulator.", string.Concat(lines.Select(l => l.GetProperty("response").GetString())));
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.Equal(JsonValueKind.Array, lines[^1].GetProperty("context").ValueKind);
        Assert.Equal(5 + 4, lines[^1].GetProperty("prompt_eval_count").GetInt32());
    }

    [Fact]
    public async Task GenerateEmptyPrompt_AnswersLoad()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/generate", """{"model":"llama3.2"}""");

        Assert.Equal("load", (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("done_reason").GetString());
    }

    [Fact]
    public async Task Embed_ReturnsDeterministicNormalisedVectors()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var first = await EmulatorHttp.PostAsync(client, "/api/embed", """{"model":"nomic-embed-text","input":["a","b"]}""");
        using var second = await EmulatorHttp.PostAsync(client, "/api/embed", """{"model":"nomic-embed-text","input":"a","dimensions":4}""");
        var body = await EmulatorHttp.ReadJsonAsync(first);
        var truncated = (await EmulatorHttp.ReadJsonAsync(second)).GetProperty("embeddings")[0];

        var vectors = body.GetProperty("embeddings").EnumerateArray().Select(v => v.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        Assert.Equal(2, vectors.Length);
        Assert.All(vectors, v => Assert.Equal(8, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 4));
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.Equal(2, body.GetProperty("prompt_eval_count").GetInt32());
        Assert.Equal(4, truncated.GetArrayLength());
        Assert.Equal(1.0, Math.Sqrt(truncated.EnumerateArray().Sum(x => x.GetDouble() * x.GetDouble())), 4);
    }

    [Fact]
    public async Task LegacyEmbeddings_ReturnsSingleVector()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/embeddings", """{"model":"nomic-embed-text","prompt":"a"}""");

        Assert.Equal(8, (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task Pull_StreamsProgressEndingInSuccess()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await EmulatorHttp.PostAsync(client, "/api/pull", """{"model":"mistral"}""");
        var lines = await EmulatorHttp.ReadNdjsonAsync(response);

        Assert.Equal("success", lines[^1].GetProperty("status").GetString());
        using var show = await EmulatorHttp.PostAsync(client, "/api/show", """{"model":"mistral"}""");
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
    }

    [Fact]
    public async Task DeleteUnknownModel_Returns404()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = new StringContent("""{"model":"nope"}""") };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
