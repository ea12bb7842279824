using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>Writes OpenAI's <c>usage</c> object from Ollama's final-line counters.</summary>
internal static class UsageJson
{
    /// <summary>
    /// Writes <c>"usage":{prompt_tokens, completion_tokens, total_tokens}</c>. Counts are 0 when Ollama omitted them
    /// (it omits zero values). <c>completion_tokens</c> includes thinking tokens, as Ollama counts them.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, long promptEvalCount, long evalCount)
    {
        writer.WriteStartObject(OpenAIJsonNames.Usage);
        writer.WriteNumber(OpenAIJsonNames.PromptTokens, promptEvalCount);
        writer.WriteNumber(OpenAIJsonNames.CompletionTokens, evalCount);
        writer.WriteNumber(OpenAIJsonNames.TotalTokens, promptEvalCount + evalCount);
        writer.WriteEndObject();
    }
}
