using System.Buffers;
using System.Text;
using System.Text.Json;
using OllamaGateway.Translation;

namespace OllamaGateway.Tests.Translation;

/// <summary>
/// Feeds NDJSON lines to one SSE stream translator and collects everything it writes; shared by the chat and
/// completions stream tests, whose translators share the framing.
/// </summary>
internal abstract class SseStreamRun<TTranslator>(TTranslator translator)
    where TTranslator : IStreamTranslator
{
    public TTranslator Translator { get; } = translator;

    public ArrayBufferWriter<byte> Output { get; } = new();

    public bool Line(string line) => Translator.TranslateLine(Encoding.UTF8.GetBytes(line), Output);

    public bool Line(byte[] line) => Translator.TranslateLine(line, Output);

    public void Done() => Translator.WriteDone(Output);

    /// <summary>Every event's payload, [DONE] included; asserts the SSE framing.</summary>
    public List<string> Payloads() => SseEvents.Payloads(Output.WrittenSpan);

    /// <summary>Every JSON event (chunks and error events), parsed; [DONE] left out.</summary>
    public List<JsonElement> Chunks() =>
        Payloads().Where(p => p != "[DONE]").Select(p => JsonDocument.Parse(p).RootElement.Clone()).ToList();
}
