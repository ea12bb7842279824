using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OllamaGateway.Emulator.Generation;

/// <summary>
/// The reply for <c>format</c>: <c>{"reply": "..."}</c> for <c>"json"</c>, or an object that fills each
/// schema property with a sample of its type (strings get the configured reply).
/// </summary>
internal static class JsonReplyBuilder
{
    public static string Build(JsonElement? schema, string reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            if (schema is null)
            {
                writer.WriteStartObject();
                writer.WriteString("reply", reply);
                writer.WriteEndObject();
            }
            else
            {
                WriteValue(writer, schema.Value, reply, depth: 0);
            }
        }

        // A space after each ':' and ',' gives the tokenizer word boundaries to stream on.
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\":", "\": ", StringComparison.Ordinal)
            .Replace(",\"", ", \"", StringComparison.Ordinal);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement schema, string reply, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > 8)
        {
            writer.WriteNullValue();
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        var type = schema.TryGetProperty("type", out var t) ? t : default;
        if (type.ValueKind == JsonValueKind.Array)
        {
            type = type.EnumerateArray().FirstOrDefault(x => x.ValueKind == JsonValueKind.String && x.GetString() != "null");
        }

        switch (type.ValueKind == JsonValueKind.String ? type.GetString() : "object")
        {
            case "string":
                writer.WriteStringValue(reply);
                break;
            case "integer":
            case "number":
                writer.WriteNumberValue(1);
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            case "array":
                writer.WriteStartArray();
                if (schema.TryGetProperty("items", out var items))
                {
                    WriteValue(writer, items, reply, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        WriteValue(writer, property.Value, reply, depth + 1);
                    }
                }

                writer.WriteEndObject();
                break;
        }
    }
}
