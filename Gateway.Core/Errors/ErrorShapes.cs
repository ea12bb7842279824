using System.Text.Json;
using OllamaGateway.Routing;

namespace OllamaGateway.Errors;

/// <summary>
/// Each API's error body: Ollama's <c>{"error":"..."}</c>, OpenAI's <c>{"error":{"message","type","param","code"}}</c>,
/// Anthropic's <c>{"type":"error","error":{"type","message"}}</c> (which has no place for param or code).
/// </summary>
internal static class ErrorShapes
{
    /// <summary>Writes the error body of <paramref name="surface"/>.</summary>
    public static void Write(Utf8JsonWriter writer, ApiSurface surface, int status, string message, string? param, string? code)
    {
        switch (surface)
        {
            case ApiSurface.OpenAI:
                OpenAIErrorJson.Write(writer, message, OpenAIErrorJson.TypeFor(status), param, code);
                break;
            case ApiSurface.Anthropic:
                AnthropicErrorJson.Write(writer, AnthropicErrorJson.TypeFor(status), message);
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("error"u8, message);
                writer.WriteEndObject();
                break;
        }
    }
}
