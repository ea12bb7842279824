using System.Buffers;

namespace OllamaGateway.Translation;

/// <summary>
/// Turns Ollama's NDJSON lines into OpenAI SSE events for one response. The pipeline feeds it whole lines,
/// flushes after each read and ends the stream by its <see cref="State"/>.
/// </summary>
internal interface IStreamTranslator
{
    /// <summary>Whether the stream is still open, completed normally, or ended with an error event.</summary>
    StreamState State { get; }

    /// <summary>Translates one complete NDJSON line; returns true when the stream is finished.</summary>
    bool TranslateLine(ReadOnlySpan<byte> ndjsonLine, IBufferWriter<byte> output);

    /// <summary>Writes <c>data: [DONE]</c> after a normal finish.</summary>
    void WriteDone(IBufferWriter<byte> output);

    /// <summary>Writes an SSE error event for a failure found by the pipeline (upstream gone, timeout).</summary>
    void WriteError(IBufferWriter<byte> output, string message, string type);
}
