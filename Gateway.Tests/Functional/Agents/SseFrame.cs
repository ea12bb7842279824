using System.Text.Json;

namespace OllamaGateway.Tests.Functional.Agents;

/// <summary>One SSE event as an agent reads it: the <c>event:</c> name and the parsed <c>data:</c>.</summary>
internal sealed record SseFrame(string Event, JsonElement Data)
{
    /// <summary>Reads a whole event stream, asserting the framing agents rely on: every event has a name and JSON data.</summary>
    public static async Task<List<SseFrame>> ReadAllAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var frames = new List<SseFrame>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            var name = lines[0]["event: ".Length..];
            Assert.Equal(name, data.GetProperty("type").GetString());
            frames.Add(new SseFrame(name, data));
        }

        return frames;
    }
}
