using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// What the walker has read and checked so far. It is turned into the native request only once the whole body
/// has been validated, so a refused request never produces an Ollama body.
/// </summary>
internal sealed class ChatRequestDraft : IOpenAIRequestDraft
{
    /// <summary>Client's <c>model</c>.</summary>
    public string? Model { get; set; }

    /// <summary>Translated messages; null until <c>messages</c> was read.</summary>
    public List<OllamaChatMessage>? Messages { get; set; }

    /// <summary>Client's <c>stream</c> (null = absent = false).</summary>
    public bool? Stream { get; set; }

    /// <summary><c>stream_options.include_usage</c>.</summary>
    public bool? IncludeUsage { get; set; }

    /// <summary><c>temperature</c>.</summary>
    public double? Temperature { get; set; }

    /// <summary><c>top_p</c>.</summary>
    public double? TopP { get; set; }

    /// <summary><c>max_tokens</c> (deprecated by OpenAI).</summary>
    public int? MaxTokens { get; set; }

    /// <summary><c>max_completion_tokens</c>.</summary>
    public int? MaxCompletionTokens { get; set; }

    /// <summary><c>stop</c>, already normalised to a list.</summary>
    public List<string>? Stop { get; set; }

    /// <summary><c>seed</c>.</summary>
    public long? Seed { get; set; }

    /// <summary><c>presence_penalty</c>.</summary>
    public double? PresencePenalty { get; set; }

    /// <summary><c>frequency_penalty</c>.</summary>
    public double? FrequencyPenalty { get; set; }

    /// <summary><c>user</c>.</summary>
    public string? User { get; set; }

    /// <summary><c>tools</c>, checked.</summary>
    public List<OllamaTool>? Tools { get; set; }

    /// <summary><c>tool_choice:"none"</c>: the tools are not sent (Ollama has no tool_choice).</summary>
    public bool DropTools { get; set; }

    /// <summary>Native <c>format</c> from <c>response_format</c>.</summary>
    public JsonElement? Format { get; set; }

    /// <summary>Native <c>think</c> from <c>reasoning_effort</c>.</summary>
    public JsonElement? Think { get; set; }

    /// <summary><c>logprobs</c> (null = absent = false).</summary>
    public bool? Logprobs { get; set; }

    /// <summary><c>top_logprobs</c>, checked to be 0–20.</summary>
    public int? TopLogprobs { get; set; }

    /// <summary>Builds the native request. Call only after validation succeeded.</summary>
    public OllamaChatRequest ToOllamaRequest()
    {
        var options = new OllamaOptions
        {
            Temperature = Temperature,
            TopP = TopP,
            // Both given: max_completion_tokens wins. It is the current OpenAI name; max_tokens is its deprecated
            // alias, and the reference recommends preferring the newer one (Ollama's own layer ignores it).
            NumPredict = MaxCompletionTokens ?? MaxTokens,
            Stop = Stop,
            Seed = Seed,
            PresencePenalty = PresencePenalty,
            FrequencyPenalty = FrequencyPenalty,
        };

        return new OllamaChatRequest
        {
            Model = Model!,
            Messages = Messages!,
            Stream = Stream ?? false,
            Options = options.IsEmpty ? null : options,
            Tools = DropTools ? null : Tools,
            Format = Format,
            Think = Think,

            // Only sent when asked for: an absent field keeps older servers (before v0.12.11) on their known path.
            Logprobs = Logprobs == true ? true : null,
            TopLogprobs = Logprobs == true && TopLogprobs > 0 ? TopLogprobs : null,
        };
    }
}
