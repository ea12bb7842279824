using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Writes native per-token log probabilities as OpenAI's choice <c>logprobs</c> object:
/// <c>{"content":[{"token","logprob","bytes","top_logprobs":[{"token","logprob","bytes"}]}],"refusal":null}</c>.
/// Shared by the reply and the stream so both carry the same shape.
/// </summary>
internal static class ChatLogprobsJson
{
    private static readonly JsonEncodedText Token = JsonEncodedText.Encode("token");
    private static readonly JsonEncodedText Logprob = JsonEncodedText.Encode("logprob");
    private static readonly JsonEncodedText Bytes = JsonEncodedText.Encode("bytes");
    private static readonly JsonEncodedText TopLogprobs = JsonEncodedText.Encode("top_logprobs");
    private static readonly JsonEncodedText Refusal = JsonEncodedText.Encode("refusal");

    /// <summary>Writes <c>"logprobs":{...}</c> with <paramref name="entries"/> (which may be empty) as its content.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<OllamaLineLogprob> entries)
    {
        writer.WriteStartObject(OpenAIJsonNames.Logprobs);
        writer.WriteStartArray(OpenAIJsonNames.Content);
        foreach (OllamaLineLogprob entry in entries)
        {
            writer.WriteStartObject();
            WriteToken(writer, entry);

            // OpenAI always has the array (the schema requires it), empty when no alternatives were asked for.
            writer.WriteStartArray(TopLogprobs);
            foreach (OllamaLineLogprob top in entry.TopLogprobs)
            {
                writer.WriteStartObject();
                WriteToken(writer, top);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        // Ollama has no refusals; OpenAI's own replies carry the key as null.
        writer.WriteNull(Refusal);
        writer.WriteEndObject();
    }

    private static void WriteToken(Utf8JsonWriter writer, OllamaLineLogprob entry)
    {
        writer.WriteString(Token, entry.Token);
        writer.WriteNumber(Logprob, entry.Logprob);
        if (entry.Bytes is null)
        {
            writer.WriteNull(Bytes);
            return;
        }

        // A list of integers, as OpenAI sends it: not base64, which the writer would make of a byte array.
        writer.WriteStartArray(Bytes);
        foreach (byte b in entry.Bytes)
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
    }
}
