using System.Buffers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.Anthropic;

namespace OllamaGateway.Tests.Translation.Anthropic;

/// <summary>Feeds NDJSON lines to one <see cref="AnthropicStreamTranslator"/> and reads back its named events.</summary>
internal sealed class AnthropicStreamRun
{
    public AnthropicStreamTranslator Translator { get; } = new("msg_test", "qwen3");

    public ArrayBufferWriter<byte> Output { get; } = new();

    public bool Line(string line) => Translator.TranslateLine(Encoding.UTF8.GetBytes(line), Output);

    /// <summary>Every event as (name, data), asserting the framing: <c>event:</c>, <c>data:</c>, and the name in <c>type</c>.</summary>
    public List<(string Event, JsonElement Data)> Events()
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in Encoding.UTF8.GetString(Output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            string name = lines[0]["event: ".Length..];
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(name, data.GetProperty("type").GetString());
            events.Add((name, data));
        }

        return events;
    }

    public List<string> Names() => Events().Select(e => e.Event).ToList();
}
