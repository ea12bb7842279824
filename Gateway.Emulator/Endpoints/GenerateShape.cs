using System.Text.Json;
using OllamaGateway.Emulator.Generation;
using OllamaGateway.Emulator.Requests;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>
/// <c>api.GenerateResponse</c>: <c>model, created_at, response, thinking?, done, done_reason?, context?,</c> then the
/// metrics (Go field order: <c>done</c> comes before <c>done_reason</c> here).
/// </summary>
internal sealed class GenerateShape : ICompletionShape
{
    public static GenerateShape Instance { get; } = new();

    public string Name => "generate";

    public void WritePiece(Utf8JsonWriter writer, InferenceRequest request, string createdAt, ReplyPiece piece)
    {
        Start(writer, request.Model, createdAt, piece.Content, piece.Thinking);
        writer.WriteBoolean("done", false);
        writer.WriteEndObject();
    }

    public void WriteFinal(Utf8JsonWriter writer, InferenceRequest request, string createdAt, ReplyPlan? plan, string doneReason,
        CompletionMetrics metrics, IReadOnlyList<int> context)
    {
        Start(writer, request.Model, createdAt, plan?.JoinedContent ?? "", plan?.JoinedThinking);
        writer.WriteBoolean("done", true);
        writer.WriteString("done_reason", doneReason);
        writer.WriteStartArray("context");
        foreach (var token in context)
        {
            writer.WriteNumberValue(token);
        }

        writer.WriteEndArray();
        metrics.WriteTo(writer);
        writer.WriteEndObject();
    }

    public void WriteLoad(Utf8JsonWriter writer, string model, string createdAt, string doneReason)
    {
        Start(writer, model, createdAt, "", null);
        writer.WriteBoolean("done", true);
        writer.WriteString("done_reason", doneReason);
        writer.WriteEndObject();
    }

    private static void Start(Utf8JsonWriter writer, string model, string createdAt, string response, string? thinking)
    {
        writer.WriteStartObject();
        writer.WriteString("model", model);
        writer.WriteString("created_at", createdAt);
        writer.WriteString("response", response);
        if (!string.IsNullOrEmpty(thinking))
        {
            writer.WriteString("thinking", thinking);
        }
    }
}
