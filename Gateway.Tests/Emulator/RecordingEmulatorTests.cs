using OllamaGateway.Emulator;

namespace OllamaGateway.Tests.Emulator;

public sealed class RecordingEmulatorTests
{
    [Fact]
    public async Task Request_IsRecordedWithHeadersQueryAndBody()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Test-Header", "hello");
        const string Body = """{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"hi"}]}""";

        using var response = await EmulatorHttp.PostAsync(client, "/api/chat?trace=1", Body);
        await response.Content.ReadAsStringAsync();
        var recorded = await emulator.WaitForRequestAsync(r => r.Path == "/api/chat", TimeSpan.FromSeconds(5));
        await recorded.Completed.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("POST", recorded.Method);
        Assert.Equal("?trace=1", recorded.QueryString);
        Assert.Equal("hello", recorded.Headers["x-test-header"]);
        Assert.Equal(Body, recorded.BodyText);
        Assert.Equal(200, recorded.StatusCode);
        Assert.False(recorded.WasAborted);
        Assert.Same(recorded, emulator.LastRequest);
    }

    [Fact]
    public async Task ClearRequests_ForgetsEarlierRequests()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        using (await client.GetAsync("/api/version"))
        {
        }

        emulator.ClearRequests();

        Assert.Empty(emulator.Requests);
        Assert.Null(emulator.LastRequest);
    }

    [Fact]
    public async Task WaitForRequest_WithNoMatch_ThrowsTimeout()
    {
        await using var emulator = await OllamaEmulator.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(
            () => emulator.WaitForRequestAsync(r => r.Path == "/never", TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task ClientCancelsMidStream_RecordedRequestIsAborted()
    {
        var options = new EmulatorOptions { ChunkCount = 1000, TokenDelay = TimeSpan.FromMilliseconds(20) };
        await using var emulator = await OllamaEmulator.StartAsync(options);
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var cancellation = new CancellationTokenSource();

        var response = await EmulatorHttp.PostAsync(client, "/api/chat",
            """{"model":"llama3.2","messages":[{"role":"user","content":"long please"}]}""", cancellation.Token);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token)))
        {
            Assert.Contains("\"done\":false", await reader.ReadLineAsync(cancellation.Token), StringComparison.Ordinal);
            var recorded = await emulator.WaitForRequestAsync(r => r.Path == "/api/chat", TimeSpan.FromSeconds(5));
            Assert.False(recorded.Completed.IsCompleted);

            await cancellation.CancelAsync();
            response.Dispose();

            await recorded.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
            await recorded.Completed.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(recorded.WasAborted);
        }
    }
}
