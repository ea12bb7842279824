using System.Buffers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.OpenAI.Responses;

namespace OllamaGateway.Tests.Translation.OpenAI.Responses;

/// <summary>Feeds NDJSON lines to one <see cref="ResponsesStreamTranslator"/> and reads back its events.</summary>
internal sealed class ResponsesStreamRun
{
    public ResponsesStreamRun(string requestJson = """{"model":"m","input":"hi"}""")
    {
        var (request, error) = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(requestJson));
        Assert.Null(error);
        Translator = new ResponsesStreamTranslator(request!, "resp_test", 1_755_820_800);
    }

    public ResponsesStreamTranslator Translator { get; }

    public ArrayBufferWriter<byte> Output { get; } = new();

    public bool Line(string line) => Translator.TranslateLine(Encoding.UTF8.GetBytes(line), Output);

    /// <summary>Every event's data, asserting the framing, the name in <c>type</c> and consecutive sequence numbers.</summary>
    public List<JsonElement> Events()
    {
        var events = new List<JsonElement>();
        foreach (var block in Encoding.UTF8.GetString(Output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            Assert.Equal(events.Count, data.GetProperty("sequence_number").GetInt32());
            events.Add(data);
        }

        return events;
    }

    public List<string> Names() => Events().Select(e => e.GetProperty("type").GetString()!).ToList();
}
