using System.Text.Json;
using OllamaGateway.Emulator.Generation;
using OllamaGateway.Emulator.Requests;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>How one line of <c>/api/chat</c> or <c>/api/generate</c> output is written.</summary>
internal interface ICompletionShape
{
    /// <summary>"chat" or "generate", for capability errors.</summary>
    string Name { get; }

    /// <summary>One streamed line; <paramref name="request"/> gives the model to echo and what else was asked for (logprobs).</summary>
    void WritePiece(Utf8JsonWriter writer, InferenceRequest request, string createdAt, ReplyPiece piece);

    /// <summary>The <c>done:true</c> object; <paramref name="plan"/> is set for a non-streamed (joined) answer.</summary>
    void WriteFinal(Utf8JsonWriter writer, InferenceRequest request, string createdAt, ReplyPlan? plan, string doneReason,
        CompletionMetrics metrics, IReadOnlyList<int> context);

    /// <summary>The single object answering a load or unload (no metrics).</summary>
    void WriteLoad(Utf8JsonWriter writer, string model, string createdAt, string doneReason);
}
