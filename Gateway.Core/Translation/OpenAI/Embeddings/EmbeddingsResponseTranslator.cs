using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI.Embeddings;

/// <summary>
/// Rewrites Ollama's <c>/api/embed</c> answer, <c>{"model","embeddings":[[f32,...],...],"prompt_eval_count"?,...}</c>
/// (wire reference §1.5), into OpenAI's embedding list (§2.6, §3.7). It streams through the vectors with
/// <see cref="Utf8JsonReader"/> and writes each one as it is read, so no vector is held as an object graph.
/// </summary>
internal static class EmbeddingsResponseTranslator
{
    private static readonly JsonEncodedText s_object = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText s_list = JsonEncodedText.Encode("list");
    private static readonly JsonEncodedText s_data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText s_embedding = JsonEncodedText.Encode("embedding");
    private static readonly JsonEncodedText s_index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText s_usage = JsonEncodedText.Encode("usage");
    private static readonly JsonEncodedText s_promptTokens = JsonEncodedText.Encode("prompt_tokens");
    private static readonly JsonEncodedText s_totalTokens = JsonEncodedText.Encode("total_tokens");

    private static ReadOnlySpan<byte> EmbeddingsKey => "embeddings"u8;
    private static ReadOnlySpan<byte> PromptEvalCountKey => "prompt_eval_count"u8;

    /// <summary>
    /// Translates a successful <c>/api/embed</c> body.
    /// </summary>
    /// <param name="ollamaJson">Ollama's 200 body.</param>
    /// <param name="model">The model as the client wrote it: OpenAI's <c>model</c> echoes the request (Ollama ref).</param>
    /// <param name="base64">Write each vector as base64 of its little-endian float32 bytes instead of a number array.</param>
    /// <returns>UTF-8 JSON of OpenAI's <c>{"object":"list","data":[...],"model":..,"usage":{..}}</c>.</returns>
    /// <exception cref="JsonException">The body is not the shape <c>/api/embed</c> answers with; the caller answers 502.</exception>
    public static byte[] Translate(ReadOnlySpan<byte> ollamaJson, string model, bool base64) =>
        Translate(ollamaJson, model, base64, out _);

    /// <inheritdoc cref="Translate(ReadOnlySpan{byte}, string, bool)"/>
    /// <param name="ollamaJson">Ollama's 200 body.</param>
    /// <param name="model">The model as the client wrote it.</param>
    /// <param name="base64">Write each vector as base64.</param>
    /// <param name="promptTokens">Ollama's <c>prompt_eval_count</c>, 0 when absent.</param>
    public static byte[] Translate(ReadOnlySpan<byte> ollamaJson, string model, bool base64, out long promptTokens)
    {
        ArgumentNullException.ThrowIfNull(model);

        // Base64 output is about half the size of Ollama's decimal text and float output about the same size,
        // so the input length is a good first guess.
        var output = new ArrayBufferWriter<byte>(Math.Max(256, ollamaJson.Length));
        using var writer = new Utf8JsonWriter(output);
        var reader = new Utf8JsonReader(ollamaJson);
        byte[]? scratch = null;
        try
        {
            Read(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The /api/embed answer is not a JSON object.");
            }

            writer.WriteStartObject();
            writer.WriteString(s_object, s_list);
            writer.WriteStartArray(s_data);

            promptTokens = 0;
            var sawEmbeddings = false;
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals(EmbeddingsKey))
                {
                    if (sawEmbeddings)
                    {
                        throw new JsonException("The /api/embed answer has two 'embeddings' keys.");
                    }

                    sawEmbeddings = true;
                    Read(ref reader);
                    WriteVectors(ref reader, writer, base64, ref scratch);
                }
                else if (reader.ValueTextEquals(PromptEvalCountKey))
                {
                    Read(ref reader);
                    promptTokens = ReadCount(ref reader);
                }
                else
                {
                    // model, total_duration, load_duration: nothing OpenAI's shape carries.
                    Read(ref reader);
                    reader.Skip();
                }
            }

            writer.WriteEndArray();
            writer.WriteString(s_model, model);

            // Embedding has no completion, so total equals prompt (Ollama ref). Ollama omits a zero count and
            // older servers omitted it on a cache hit (pitfall 7): absent means 0.
            writer.WriteStartObject(s_usage);
            writer.WriteNumber(s_promptTokens, promptTokens);
            writer.WriteNumber(s_totalTokens, promptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static void WriteVectors(ref Utf8JsonReader reader, Utf8JsonWriter writer, bool base64, ref byte[]? scratch)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            // Go writes a nil slice as null; it means no vectors, as [] does.
            return;
        }

        ExpectToken(ref reader, JsonTokenType.StartArray, "'embeddings' is not an array.");

        // Ollama returns one vector per input, in input order, so the position is OpenAI's index.
        var index = 0;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            ExpectToken(ref reader, JsonTokenType.StartArray, "An item of 'embeddings' is not an array.");
            writer.WriteStartObject();
            writer.WriteString(s_object, s_embedding);
            writer.WriteNumber(s_index, index++);
            if (base64)
            {
                WriteBase64Vector(ref reader, writer, ref scratch);
            }
            else
            {
                writer.WriteStartArray(s_embedding);
                while (TryReadComponent(ref reader, out var value))
                {
                    // Written as float32, the precision Ollama computed in, so the float and base64 formats of
                    // one vector decode to the very same values.
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteBase64Vector(ref Utf8JsonReader reader, Utf8JsonWriter writer, ref byte[]? scratch)
    {
        // OpenAI's base64 is the raw little-endian float32 bytes of the vector (wire reference §2.6); the SDKs
        // decode it with Float32Array / numpy frombuffer("<f4"), so the byte order is fixed whatever our CPU's is.
        var length = 0;
        while (TryReadComponent(ref reader, out var value))
        {
            if (scratch is null || scratch.Length < length + sizeof(float))
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(4096, (length + sizeof(float)) * 2));
                if (scratch is not null)
                {
                    scratch.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(scratch);
                }

                scratch = larger;
            }

            BinaryPrimitives.WriteSingleLittleEndian(scratch.AsSpan(length), value);
            length += sizeof(float);
        }

        writer.WriteBase64String(s_embedding, scratch is null ? [] : scratch.AsSpan(0, length));
    }

    // Reads the next number of a vector; false at the vector's closing bracket.
    private static bool TryReadComponent(ref Utf8JsonReader reader, out float value)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            value = 0;
            return false;
        }

        ExpectToken(ref reader, JsonTokenType.Number, "A vector component is not a number.");
        if (!reader.TryGetSingle(out value) || !float.IsFinite(value))
        {
            throw new JsonException("A vector component is not a finite float32.");
        }

        return true;
    }

    private static long ReadCount(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        ExpectToken(ref reader, JsonTokenType.Number, "'prompt_eval_count' is not a number.");
        if (!reader.TryGetInt64(out var count) || count < 0)
        {
            throw new JsonException("'prompt_eval_count' is not a non-negative integer.");
        }

        return count;
    }

    private static void ExpectToken(ref Utf8JsonReader reader, JsonTokenType expected, string message)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException("The /api/embed answer is malformed: " + message);
        }
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The /api/embed answer ends early.");
        }
    }
}
