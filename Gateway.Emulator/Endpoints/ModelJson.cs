using System.Text.Json;
using OllamaGateway.Emulator.Json;
using OllamaGateway.Emulator.Models;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>Writes model descriptions in Ollama's field order (<c>ListModel</c>, <c>ModelDetails</c>, <c>ProcessModelResponse</c>).</summary>
internal static class ModelJson
{
    /// <summary>A fixed <c>modified_at</c> so answers are reproducible.</summary>
    public static readonly DateTimeOffset ModifiedAt = new(2026, 8, 1, 12, 0, 0, 123, TimeSpan.Zero);

    public static void WriteListModel(Utf8JsonWriter writer, EmulatorModel model)
    {
        var name = ModelCatalog.Canonical(model.Name);
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("model", name);
        writer.WriteString("modified_at", JsonOutput.FormatTime(model.ModifiedAt ?? ModifiedAt));
        writer.WriteNumber("size", model.Size);
        writer.WriteString("digest", ModelCatalog.Digest(model));
        writer.WritePropertyName("details");
        WriteDetails(writer, model);
        writer.WriteEndObject();
    }

    public static void WriteProcessModel(Utf8JsonWriter writer, EmulatorModel model, DateTimeOffset expiresAt)
    {
        var name = ModelCatalog.Canonical(model.Name);
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("model", name);
        writer.WriteNumber("size", model.Size);
        writer.WriteString("digest", ModelCatalog.Digest(model));
        writer.WritePropertyName("details");
        WriteDetails(writer, model);
        writer.WriteString("expires_at", JsonOutput.FormatTime(expiresAt));
        writer.WriteNumber("size_vram", model.Size);
        writer.WriteNumber("context_length", model.ContextLength);
        writer.WriteEndObject();
    }

    public static void WriteDetails(Utf8JsonWriter writer, EmulatorModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("parent_model", "");
        writer.WriteString("format", "gguf");
        writer.WriteString("family", model.Family);
        writer.WriteStartArray("families");
        writer.WriteStringValue(model.Family);
        writer.WriteEndArray();
        writer.WriteString("parameter_size", model.ParameterSize);
        writer.WriteString("quantization_level", model.QuantizationLevel);
        writer.WriteEndObject();
    }
}
