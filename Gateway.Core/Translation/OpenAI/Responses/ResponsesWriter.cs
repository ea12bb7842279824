using System.Text;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Writes the Responses API's objects (reference §2.5): output items and the response object with its echo of the
/// request, as the whole answer and every stream event that carries them write them alike.
/// </summary>
internal static class ResponsesWriter
{
    /// <summary>The output item for a native tool call: a <c>function_call</c>, or a <c>custom_tool_call</c> for a custom tool.</summary>
    public static ResponsesOutputItem CallItem(OllamaLineToolCall call, IReadOnlyDictionary<string, ResponsesTool> tools)
    {
        tools.TryGetValue(call.Name, out ResponsesTool? tool);
        bool custom = tool?.Kind == ResponsesToolKind.Custom;
        var item = ResponsesOutputItem.Call(custom, call.Id ?? ResponsesIds.Call(), tool?.Name ?? call.Name, tool?.Namespace);
        item.Text.Append(custom ? CustomInput(call.Arguments) : Encoding.UTF8.GetString(call.Arguments));
        item.Status = "completed";
        return item;
    }

    /// <summary>Writes one output item whole.</summary>
    public static void WriteItem(Utf8JsonWriter writer, ResponsesOutputItem item)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, item.Id);
        switch (item.Kind)
        {
            case ResponsesOutputKind.Reasoning:
                writer.WriteString("type"u8, "reasoning"u8);
                writer.WriteStartArray("summary"u8);
                if (item.Text.Length > 0)
                {
                    WriteSummaryPart(writer, item.Text.ToString());
                }

                writer.WriteEndArray();
                break;
            case ResponsesOutputKind.Message:
                writer.WriteString("type"u8, "message"u8);
                writer.WriteString("status"u8, item.Status);
                writer.WriteString("role"u8, "assistant"u8);
                writer.WriteStartArray("content"u8);
                if (item.Status != "in_progress")
                {
                    WriteTextPart(writer, item.Text.ToString());
                }

                writer.WriteEndArray();
                break;
            default:
                bool custom = item.Kind == ResponsesOutputKind.CustomToolCall;
                writer.WriteString("type"u8, custom ? "custom_tool_call"u8 : "function_call"u8);
                writer.WriteString("status"u8, item.Status);
                writer.WriteString("call_id"u8, item.CallId);
                writer.WriteString("name"u8, item.Name);
                if (item.Namespace is not null)
                {
                    writer.WriteString("namespace"u8, item.Namespace);
                }

                writer.WriteString(custom ? "input"u8 : "arguments"u8, item.Status == "in_progress" ? string.Empty : item.Text.ToString());
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>An <c>output_text</c> part.</summary>
    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "output_text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteStartArray("annotations"u8);
        writer.WriteEndArray();
        writer.WriteStartArray("logprobs"u8);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A <c>summary_text</c> part.</summary>
    public static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "summary_text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the response object. <paramref name="status"/> is <c>in_progress</c>, <c>completed</c>, <c>incomplete</c>
    /// (a length cut: <c>incomplete_details.reason</c> is <c>max_output_tokens</c>) or <c>failed</c> (with <paramref name="error"/>).
    /// Usage is null until the response ends.
    /// </summary>
    public static void WriteResponse(
        Utf8JsonWriter writer, string id, long createdAt, string status, ResponsesTranslation request, IReadOnlyList<ResponsesOutputItem> output,
        TokenUsage? usage, string? error = null)
    {
        ResponsesEcho echo = request.Echo;
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteString("object"u8, "response"u8);
        writer.WriteNumber("created_at"u8, createdAt);
        writer.WriteString("status"u8, status);
        writer.WriteBoolean("background"u8, false);
        if (error is null)
        {
            writer.WriteNull("error"u8);
        }
        else
        {
            writer.WriteStartObject("error"u8);
            writer.WriteString("code"u8, "server_error"u8);
            writer.WriteString("message"u8, error);
            writer.WriteEndObject();
        }

        if (status == "incomplete")
        {
            writer.WriteStartObject("incomplete_details"u8);
            writer.WriteString("reason"u8, "max_output_tokens"u8);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details"u8);
        }

        WriteNullable(writer, "instructions"u8, echo.Instructions);
        WriteNullable(writer, "max_output_tokens"u8, echo.MaxOutputTokens);
        writer.WriteNull("max_tool_calls"u8);
        writer.WriteString("model"u8, request.Model);
        writer.WriteStartArray("output"u8);
        foreach (ResponsesOutputItem item in output)
        {
            WriteItem(writer, item);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls"u8, echo.ParallelToolCalls);
        writer.WriteNull("previous_response_id"u8);
        WriteRaw(writer, "reasoning"u8, echo.Reasoning, null);
        writer.WriteString("service_tier"u8, "default"u8);
        writer.WriteBoolean("store"u8, false);
        WriteNullable(writer, "temperature"u8, echo.Temperature);
        WriteRaw(writer, "text"u8, echo.Text, """{"format":{"type":"text"}}""");
        WriteRaw(writer, "tool_choice"u8, echo.ToolChoice, "\"auto\"");
        WriteRaw(writer, "tools"u8, echo.Tools, "[]");
        writer.WriteNumber("top_logprobs"u8, 0);
        WriteNullable(writer, "top_p"u8, echo.TopP);
        writer.WriteString("truncation"u8, "disabled"u8);
        WriteRaw(writer, "metadata"u8, echo.Metadata, "{}");
        if (usage is { } counts)
        {
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("input_tokens"u8, counts.PromptTokens);
            writer.WriteStartObject("input_tokens_details"u8);
            writer.WriteNumber("cached_tokens"u8, 0);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens"u8, counts.CompletionTokens);
            writer.WriteStartObject("output_tokens_details"u8);
            writer.WriteNumber("reasoning_tokens"u8, 0);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens"u8, counts.PromptTokens + counts.CompletionTokens);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage"u8);
        }

        writer.WriteEndObject();
    }

    /// <summary>A custom tool's input: the <c>input</c> string of the native arguments, or else the arguments' JSON text.</summary>
    private static string CustomInput(byte[] arguments)
    {
        var reader = new Utf8JsonReader(arguments);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isInput = reader.ValueTextEquals("input"u8);
                reader.Read();
                if (isInput && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString()!;
                }

                reader.Skip();
            }
        }

        return Encoding.UTF8.GetString(arguments);
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, value.Value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, value.Value);
        }
    }

    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement? value, string? fallback)
    {
        writer.WritePropertyName(name);
        if (value is { } element)
        {
            element.WriteTo(writer);
        }
        else if (fallback is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(fallback, skipInputValidation: true);
        }
    }
}
