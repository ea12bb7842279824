using System.Buffers;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// Translates Ollama's non-streamed <c>/api/chat</c> reply into Anthropic's message object (reference §1.4), read through
/// the same <see cref="OllamaChatLine"/> as the stream: blocks in the order thinking, text, tool_use; <c>content</c> is
/// <c>[]</c> (never null) for an empty answer; usage is Ollama's real counts.
/// </summary>
internal static class AnthropicResponseTranslator
{
    /// <summary>Translates <paramref name="ollamaJson"/>, or says why it cannot be.</summary>
    public static TranslatedAnswer Translate(ReadOnlySpan<byte> ollamaJson, string id, string model)
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

        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            AnthropicJson.WriteMessageHead(writer, id, model);
            if (!line.Thinking.IsEmpty)
            {
                writer.WriteStartObject();
                writer.WriteString(AnthropicJson.Type, AnthropicJson.Thinking);
                writer.WriteString(AnthropicJson.Thinking, line.Thinking);
                writer.WriteString(AnthropicJson.Signature, ""u8);
                writer.WriteEndObject();
            }

            if (!line.Content.IsEmpty)
            {
                writer.WriteStartObject();
                writer.WriteString(AnthropicJson.Type, AnthropicJson.Text);
                writer.WriteString(AnthropicJson.Text, line.Content);
                writer.WriteEndObject();
            }

            foreach (OllamaLineToolCall call in line.ToolCalls)
            {
                AnthropicJson.WriteToolUse(writer, AnthropicIds.ToolUse(), call, withInput: true);
            }

            writer.WriteEndArray();
            writer.WriteString(AnthropicJson.StopReason, AnthropicStopReason.Of(line.StoppedForLength, line.ToolCalls.Count));
            writer.WriteNull(AnthropicJson.StopSequence);
            AnthropicJson.WriteUsage(writer, line.PromptEvalCount, line.EvalCount);
            writer.WriteEndObject();
        }

        return new TranslatedAnswer(output.WrittenSpan.ToArray(), null, new TokenUsage(line.PromptEvalCount, line.EvalCount));
    }
}
