using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>
/// What the walker has read and checked so far. It becomes the native body only once the whole request has been
/// validated, so a refused request never produces an Ollama body.
/// </summary>
internal sealed class CompletionRequestDraft : IOpenAIRequestDraft
{
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText s_prompt = JsonEncodedText.Encode("prompt");
    private static readonly JsonEncodedText s_suffix = JsonEncodedText.Encode("suffix");
    private static readonly JsonEncodedText s_stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText s_options = JsonEncodedText.Encode("options");
    private static readonly JsonEncodedText s_numPredict = JsonEncodedText.Encode("num_predict");
    private static readonly JsonEncodedText s_stop = JsonEncodedText.Encode("stop");
    private static readonly JsonEncodedText s_temperature = JsonEncodedText.Encode("temperature");
    private static readonly JsonEncodedText s_topP = JsonEncodedText.Encode("top_p");
    private static readonly JsonEncodedText s_seed = JsonEncodedText.Encode("seed");
    private static readonly JsonEncodedText s_presencePenalty = JsonEncodedText.Encode("presence_penalty");
    private static readonly JsonEncodedText s_frequencyPenalty = JsonEncodedText.Encode("frequency_penalty");

    // The body only ever goes to Ollama, never into HTML, so non-ASCII text need not be \u-escaped: escaping it
    // would make a CJK prompt up to six times larger. Quotes, backslashes and control characters are still escaped.
    // (Same choice as the embeddings translator.)
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Client's <c>model</c>, never empty.</summary>
    public string? Model { get; set; }

    /// <summary>The one prompt, never empty.</summary>
    public string? Prompt { get; set; }

    /// <summary><c>suffix</c> (fill-in-the-middle); null when absent or empty.</summary>
    public string? Suffix { get; set; }

    /// <summary><c>max_tokens</c>; null means no limit (never OpenAI's legacy default of 16).</summary>
    public int? MaxTokens { get; set; }

    /// <summary><c>stop</c>, already normalised to a list.</summary>
    public List<string>? Stop { get; set; }

    /// <summary><c>temperature</c>.</summary>
    public double? Temperature { get; set; }

    /// <summary><c>top_p</c>.</summary>
    public double? TopP { get; set; }

    /// <summary><c>seed</c>.</summary>
    public long? Seed { get; set; }

    /// <summary><c>presence_penalty</c>.</summary>
    public double? PresencePenalty { get; set; }

    /// <summary><c>frequency_penalty</c>.</summary>
    public double? FrequencyPenalty { get; set; }

    /// <summary>Client's <c>stream</c> (null = absent = false).</summary>
    public bool? Stream { get; set; }

    /// <summary><c>stream_options.include_usage</c>.</summary>
    public bool? IncludeUsage { get; set; }

    /// <summary><c>user</c>.</summary>
    public string? User { get; set; }

    private bool HasOptions =>
        MaxTokens is not null || Stop is not null || Temperature is not null || TopP is not null || Seed is not null
        || PresencePenalty is not null || FrequencyPenalty is not null;

    /// <summary>
    /// Writes <c>{"model","prompt","suffix"?,"stream","options"?}</c>. Only values the client gave are written: no
    /// sampler defaults (Ollama's own layer sends temperature and top_p 1.0, overriding the Modelfile's tuning), and
    /// none of <c>raw</c>, <c>system</c>, <c>template</c>, <c>context</c>, <c>think</c>, <c>keep_alive</c> or
    /// <c>format</c>. Call only after validation succeeded.
    /// </summary>
    public byte[] ToOllamaBody()
    {
        var buffer = new ArrayBufferWriter<byte>(128 + (Prompt!.Length * 3) + ((Suffix?.Length ?? 0) * 3));
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(s_model, Model);
            writer.WriteString(s_prompt, Prompt);
            if (Suffix is not null)
            {
                writer.WriteString(s_suffix, Suffix);
            }

            // Always explicit: native /api/generate streams by default, OpenAI does not.
            writer.WriteBoolean(s_stream, Stream ?? false);
            if (HasOptions)
            {
                WriteOptions(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteStartObject(s_options);
        if (MaxTokens is { } maxTokens)
        {
            writer.WriteNumber(s_numPredict, maxTokens);
        }

        if (Stop is not null)
        {
            writer.WriteStartArray(s_stop);
            foreach (string stop in Stop)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        WriteIfSet(writer, s_temperature, Temperature);
        WriteIfSet(writer, s_topP, TopP);
        if (Seed is { } seed)
        {
            writer.WriteNumber(s_seed, seed);
        }

        // Unscaled: the pre-v0.3.10 Ollama layer doubled sampler values, which the reference warns against.
        WriteIfSet(writer, s_presencePenalty, PresencePenalty);
        WriteIfSet(writer, s_frequencyPenalty, FrequencyPenalty);
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
