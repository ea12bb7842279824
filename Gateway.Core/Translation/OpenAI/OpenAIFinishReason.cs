using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>OpenAI's <c>finish_reason</c> for a native final line.</summary>
internal static class OpenAIFinishReason
{
    /// <summary>
    /// <c>length</c> when Ollama stopped at the token limit; every other <c>done_reason</c> (<c>stop</c>, missing, empty,
    /// and <c>load</c>/<c>unload</c>, which must never reach an OpenAI client) finishes as <c>stop</c>.
    /// </summary>
    public static JsonEncodedText Of(OllamaStreamLine line) => line.StoppedForLength ? OpenAIJsonNames.Length : OpenAIJsonNames.Stop;
}
