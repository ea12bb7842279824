using System.Buffers;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Translates Ollama's non-streamed <c>/api/chat</c> reply into a Responses <c>response</c> object (reference §2.5): items
/// in the order reasoning (Ollama's thinking, as a summary), message, calls; a length cut is <c>incomplete</c> with
/// <c>incomplete_details.reason:"max_output_tokens"</c>, as OpenAI answers (Ollama's own layer says <c>completed</c>).
/// Unlike Ollama's layer, a message is kept next to tool calls.
/// </summary>
internal static class ResponsesResponseTranslator
{
    /// <summary>Translates <paramref name="ollamaJson"/>, or says why it cannot be.</summary>
    public static TranslatedAnswer Translate(ReadOnlySpan<byte> ollamaJson, ResponsesTranslation request, string id, long created)
    {
        var line = new OllamaChatLine();
        if (!line.TryParse(ollamaJson))
        {
            return TranslatedAnswer.Unusable("The upstream answer is not a valid Ollama chat object.");
        }

        if (line.Error is not null)
        {
            return TranslatedAnswer.Unusable(line.Error);
        }

        string status = line.StoppedForLength ? "incomplete" : "completed";
        var output = new List<ResponsesOutputItem>();
        if (!line.Thinking.IsEmpty)
        {
            var reasoning = ResponsesOutputItem.Reasoning();
            reasoning.Text.Append(System.Text.Encoding.UTF8.GetString(line.Thinking));
            reasoning.Status = "completed";
            output.Add(reasoning);
        }

        if (!line.Content.IsEmpty)
        {
            var message = ResponsesOutputItem.Message();
            message.Text.Append(System.Text.Encoding.UTF8.GetString(line.Content));
            message.Status = status;
            output.Add(message);
        }

        foreach (OllamaLineToolCall call in line.ToolCalls)
        {
            output.Add(ResponsesWriter.CallItem(call, request.Tools));
        }

        var usage = new TokenUsage(line.PromptEvalCount, line.EvalCount);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResponsesWriter.WriteResponse(writer, id, created, status, request, output, usage);
        }

        return new TranslatedAnswer(buffer.WrittenSpan.ToArray(), null, usage);
    }
}
