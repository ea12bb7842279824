using System.Text.Json.Serialization;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// Source-generated serialiser for the native request (no reflection). Snake-case names match Ollama's Go tags;
/// nulls are omitted so that an absent OpenAI field stays absent natively.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatRequest))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
