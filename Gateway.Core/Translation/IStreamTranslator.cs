using System.Buffers;

namespace OllamaGateway.Translation;

/// <summary>
/// Turns Ollama's NDJSON lines into the client API's stream events for one response. The exchange feeds it whole
/// lines, flushes after each read and ends the stream by its <see cref="State"/>.
/// </summary>
internal interface IStreamTranslator
{
    /// <summary>Whether the stream is still open, completed normally, or ended with an error event.</summary>
    StreamState State { get; }

    /// <summary>The counts from Ollama's final line; zero until it has come.</summary>
    TokenUsage Usage { get; }

    /// <summary>
    /// How many lines carrying generated text or calls were translated: Ollama writes about one token per line, so
    /// this estimates the completion tokens of a stream that ended before its final line.
    /// </summary>
    int ContentChunks { get; }

    /// <summary>Translates one complete NDJSON line; returns true when the stream is finished.</summary>
    bool TranslateLine(ReadOnlySpan<byte> ndjsonLine, IBufferWriter<byte> output);

    /// <summary>Writes what ends a stream after a normal finish (OpenAI's <c>data: [DONE]</c>); nothing otherwise.</summary>
    void WriteDone(IBufferWriter<byte> output);

    /// <summary>Writes the API's in-stream error event for a failure found by the exchange (upstream gone, timeout).</summary>
    void WriteError(IBufferWriter<byte> output, string message);

    /// <summary>
    /// Writes the in-stream error event for an error answer of Ollama's (<paramref name="status"/>) that came after the
    /// stream had begun, which only happens to a stream opened before Ollama answered (<see cref="IRouteTranslator.StreamKeepAlive"/>).
    /// APIs whose error events carry a type by status override it; the default is <see cref="WriteError"/>.
    /// </summary>
    void WriteUpstreamError(IBufferWriter<byte> output, int status, string message) => WriteError(output, message);

    /// <summary>
    /// Writes what shows the client the stream is alive while Ollama is silent (Anthropic's <c>ping</c> event, and the
    /// stream's opening event if it has not been written yet). Called only for routes whose translator asks for it
    /// (<see cref="IRouteTranslator.StreamKeepAlive"/>); the default writes nothing.
    /// </summary>
    void WriteKeepAlive(IBufferWriter<byte> output)
    {
    }
}
