using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>The pieces of Anthropic's message object that the whole answer and the stream write alike.</summary>
internal static class AnthropicJson
{
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    public static readonly JsonEncodedText Thinking = JsonEncodedText.Encode("thinking");
    public static readonly JsonEncodedText Signature = JsonEncodedText.Encode("signature");
    public static readonly JsonEncodedText ToolUse = JsonEncodedText.Encode("tool_use");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    public static readonly JsonEncodedText StopReason = JsonEncodedText.Encode("stop_reason");
    public static readonly JsonEncodedText StopSequence = JsonEncodedText.Encode("stop_sequence");
    public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");

    /// <summary>
    /// Writes the message object's head, up to and including <c>"content":[</c>: <c>id</c>, <c>type</c>, <c>role</c>,
    /// <c>model</c>.
    /// </summary>
    public static void WriteMessageHead(Utf8JsonWriter writer, string id, string model)
    {
        writer.WriteStartObject();
        writer.WriteString(Id, id);
        writer.WriteString(Type, "message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("model"u8, model);
        writer.WriteStartArray(Content);
    }

    /// <summary>
    /// Writes <c>usage</c>. The two cache fields are always 0: Ollama reuses its cache by itself and reports the whole
    /// prompt in <c>prompt_eval_count</c>.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter writer, long inputTokens, long outputTokens)
    {
        writer.WriteStartObject(Usage);
        writer.WriteNumber("input_tokens"u8, inputTokens);
        writer.WriteNumber("output_tokens"u8, outputTokens);
        writer.WriteNumber("cache_creation_input_tokens"u8, 0);
        writer.WriteNumber("cache_read_input_tokens"u8, 0);
        writer.WriteEndObject();
    }

    /// <summary>Writes a <c>tool_use</c> block with its whole input (for the whole answer).</summary>
    public static void WriteToolUse(Utf8JsonWriter writer, string id, OllamaLineToolCall call, bool withInput)
    {
        writer.WriteStartObject();
        writer.WriteString(Type, ToolUse);
        writer.WriteString(Id, id);
        writer.WriteString(Name, call.Name);
        writer.WritePropertyName(Input);
        if (withInput)
        {
            writer.WriteRawValue(call.Arguments, skipInputValidation: true);
        }
        else
        {
            // A streamed tool_use starts empty; its input follows as input_json_delta (the SDK parses it at the stop).
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
