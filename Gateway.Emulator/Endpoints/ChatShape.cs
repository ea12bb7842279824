using System.Text.Json;
using OllamaGateway.Emulator.Generation;
using OllamaGateway.Emulator.Requests;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>
/// <c>api.ChatResponse</c>: <c>model, created_at, message{role, content, thinking?, tool_calls?}, done_reason?, done,</c>
/// then the metrics, then <c>logprobs</c> when asked for (Go field order: <c>done_reason</c> comes before <c>done</c>).
/// </summary>
internal sealed class ChatShape : ICompletionShape
{
    public static ChatShape Instance { get; } = new();

    public string Name => "chat";

    public void WritePiece(Utf8JsonWriter writer, InferenceRequest request, string createdAt, ReplyPiece piece)
    {
        Start(writer, request.Model, createdAt);
        WriteMessage(writer, piece.Content, piece.Thinking,
            piece.ToolCall is null ? [] : [piece.ToolCall]);
        writer.WriteBoolean("done", false);
        if (request.Logprobs)
        {
            LogprobsWriter.Write(writer, [piece], request.TopLogprobs);
        }

        writer.WriteEndObject();
    }

    public void WriteFinal(Utf8JsonWriter writer, InferenceRequest request, string createdAt, ReplyPlan? plan, string doneReason,
        CompletionMetrics metrics, IReadOnlyList<int> context)
    {
        Start(writer, request.Model, createdAt);
        WriteMessage(writer, plan?.JoinedContent ?? "", plan?.JoinedThinking, plan?.ToolCalls ?? []);
        writer.WriteString("done_reason", doneReason);
        writer.WriteBoolean("done", true);
        metrics.WriteTo(writer);

        // The streamed done line carries no token of its own; the non-streamed reply collects every piece's entry.
        if (request.Logprobs && plan is not null)
        {
            LogprobsWriter.Write(writer, plan.Pieces, request.TopLogprobs);
        }

        writer.WriteEndObject();
    }

    public void WriteLoad(Utf8JsonWriter writer, string model, string createdAt, string doneReason)
    {
        Start(writer, model, createdAt);
        WriteMessage(writer, "", null, []);
        writer.WriteString("done_reason", doneReason);
        writer.WriteBoolean("done", true);
        writer.WriteEndObject();
    }

    private static void Start(Utf8JsonWriter writer, string model, string createdAt)
    {
        writer.WriteStartObject();
        writer.WriteString("model", model);
        writer.WriteString("created_at", createdAt);
    }

    private static void WriteMessage(Utf8JsonWriter writer, string content, string? thinking, IReadOnlyList<ToolCallPiece> toolCalls)
    {
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", content);
        if (!string.IsNullOrEmpty(thinking))
        {
            writer.WriteString("thinking", thinking);
        }

        if (toolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in toolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteStartObject("function");
                writer.WriteNumber("index", call.Index);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("arguments");
                writer.WriteRawValue(call.ArgumentsJson);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
