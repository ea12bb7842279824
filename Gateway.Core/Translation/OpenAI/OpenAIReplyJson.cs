using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// The non-streamed reply steps that chat and legacy completions share: reading the native body (a broken body or
/// an <c>{"error":..}</c> body becomes the error to answer), and writing the OpenAI envelope around the single
/// choice: id, object, created, model, fingerprint, <c>choices</c> and usage. Shared so both endpoints report usage
/// and failures the same way; the caller writes only the choice's own fields.
/// </summary>
internal static class OpenAIReplyJson
{
    /// <summary>
    /// Parses the native reply into a new <typeparamref name="TLine"/>, or returns false with the error to report:
    /// the upstream's own message, or <paramref name="invalidMessage"/> when the body cannot be read.
    /// </summary>
    public static bool TryRead<TLine>(
        ReadOnlySpan<byte> ollamaJson,
        string invalidMessage,
        [NotNullWhen(true)] out TLine? line,
        [NotNullWhen(false)] out string? error)
        where TLine : OllamaStreamLine, new()
    {
        line = new TLine();
        if (!TryRead(line, ollamaJson, invalidMessage, out error))
        {
            line = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// As <see cref="TryRead{TLine}(ReadOnlySpan{byte}, string, out TLine, out string)"/>, into a line the caller
    /// created (and configured, such as <see cref="OllamaChatLine.ReadsLogprobs"/>).
    /// </summary>
    public static bool TryRead(
        OllamaStreamLine line, ReadOnlySpan<byte> ollamaJson, string invalidMessage, [NotNullWhen(false)] out string? error)
    {
        if (!line.TryParse(ollamaJson))
        {
            error = invalidMessage;
            return false;
        }

        error = line.Error;
        return error is null;
    }

    /// <summary>
    /// Writes the reply object with one choice, whose fields after the opening brace <paramref name="writeChoice"/>
    /// writes, followed by the usage from <paramref name="line"/>'s counts.
    /// </summary>
    /// <param name="line">The parsed native reply.</param>
    /// <param name="id">The completion id.</param>
    /// <param name="created">Unix seconds.</param>
    /// <param name="model">The model name as the client sent it.</param>
    /// <param name="objectName">The reply's <c>object</c>.</param>
    /// <param name="capacity">The initial buffer size, from the text lengths.</param>
    /// <param name="writeChoice">Writes the choice's fields.</param>
    public static byte[] Write<TLine>(
        TLine line,
        string id,
        long created,
        string model,
        JsonEncodedText objectName,
        int capacity,
        Action<Utf8JsonWriter, TLine> writeChoice)
        where TLine : OllamaStreamLine
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(OpenAIJsonNames.Id, id);
            writer.WriteString(OpenAIJsonNames.Object, objectName);
            writer.WriteNumber(OpenAIJsonNames.Created, created);
            writer.WriteString(OpenAIJsonNames.Model, model);
            writer.WriteString(OpenAIJsonNames.SystemFingerprint, OpenAIJsonNames.OllamaFingerprint);

            writer.WriteStartArray(OpenAIJsonNames.Choices);
            writer.WriteStartObject();
            writeChoice(writer, line);
            writer.WriteEndObject();
            writer.WriteEndArray();

            UsageJson.Write(writer, line.PromptEvalCount, line.EvalCount);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
