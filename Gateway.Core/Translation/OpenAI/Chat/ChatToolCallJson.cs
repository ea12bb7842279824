using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Writes native tool calls as OpenAI's <c>tool_calls</c> array (reference §2.3, §2.4 and pitfall 3): every call gets
/// an <c>id</c> (Ollama's, or a new <c>call_</c> id for servers older than v0.12.10) and <c>type:"function"</c>, and the
/// native arguments object becomes a JSON-encoded <em>string</em>.
/// </summary>
internal static class ChatToolCallJson
{
    /// <summary>
    /// Writes <c>"tool_calls":[...]</c>. With <paramref name="firstIndex"/> set (streaming) each call carries
    /// <c>index</c>, counted from it, which is how clients join stream fragments into calls; a whole call is sent in one
    /// fragment (Ollama never splits arguments). The non-streamed message has no <c>index</c>.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<OllamaLineToolCall> calls, int? firstIndex)
    {
        writer.WriteStartArray(OpenAIJsonNames.ToolCalls);
        for (int i = 0; i < calls.Count; i++)
        {
            OllamaLineToolCall call = calls[i];
            writer.WriteStartObject();
            if (firstIndex is int first)
            {
                writer.WriteNumber(OpenAIJsonNames.Index, first + i);
            }

            writer.WriteString(OpenAIJsonNames.Id, call.Id ?? ToolCallIds.New());
            writer.WriteString(OpenAIJsonNames.Type, OpenAIJsonNames.Function);
            writer.WriteStartObject(OpenAIJsonNames.Function);
            writer.WriteString(OpenAIJsonNames.Name, call.Name);

            // The object's UTF-8 text becomes the string's value; the writer escapes quotes and non-ASCII.
            writer.WriteString(OpenAIJsonNames.Arguments, call.Arguments);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
