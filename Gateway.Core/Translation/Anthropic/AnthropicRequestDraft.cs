using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// What the walker has read and checked so far; turned into the native request only once the whole body was
/// validated, so a refused request never produces an Ollama body.
/// </summary>
internal sealed class AnthropicRequestDraft
{
    private static readonly JsonElement ThinkOff = JsonElement.Parse("false");

    /// <summary><c>model</c>.</summary>
    public string? Model { get; set; }

    /// <summary><c>max_tokens</c>, checked to be at least 1.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>The translated conversation, without the system message.</summary>
    public List<OllamaChatMessage>? Messages { get; set; }

    /// <summary><c>system</c>, its blocks joined.</summary>
    public string? System { get; set; }

    /// <summary><c>stream</c> (null = absent = false).</summary>
    public bool? Stream { get; set; }

    /// <summary><c>temperature</c>.</summary>
    public double? Temperature { get; set; }

    /// <summary><c>top_p</c>.</summary>
    public double? TopP { get; set; }

    /// <summary><c>top_k</c>.</summary>
    public int? TopK { get; set; }

    /// <summary><c>stop_sequences</c>; null when absent or empty.</summary>
    public List<string>? StopSequences { get; set; }

    /// <summary><c>tools</c>, checked.</summary>
    public List<OllamaTool>? Tools { get; set; }

    /// <summary><c>tool_choice: {"type":"none"}</c>: the tools are not sent.</summary>
    public bool DropTools { get; set; }

    /// <summary>
    /// <c>thinking.type</c> was <c>enabled</c> or <c>adaptive</c>: the model may think. Absent or <c>disabled</c> means no
    /// thinking, as on Anthropic's API.
    /// </summary>
    public bool Thinking { get; set; }

    /// <summary><c>metadata.user_id</c>.</summary>
    public string? UserId { get; set; }

    /// <summary>Native <c>format</c> from <c>output_config.format</c> (or the older <c>output_format</c>).</summary>
    public JsonElement? Format { get; set; }

    /// <summary>Builds the native request. Call only after validation succeeded.</summary>
    public OllamaChatRequest ToOllamaRequest()
    {
        var options = new OllamaOptions
        {
            Temperature = Temperature,
            TopP = TopP,
            TopK = TopK,
            NumPredict = MaxTokens,
            Stop = StopSequences,
        };
        List<OllamaChatMessage> messages = System is null
            ? Messages!
            : [new OllamaChatMessage { Role = "system", Content = System }, .. Messages!];
        return new OllamaChatRequest
        {
            Model = Model!,
            Messages = messages,
            Stream = Stream ?? false,
            Options = options,
            Tools = DropTools ? null : Tools,
            Format = Format,

            // Thinking asked for: think is left out, so a thinking model thinks (its default) and a model without
            // thinking simply answers; think:true would be a 400 there, which Ollama's own Anthropic layer avoids with
            // a flag the native API does not have (relax_thinking). Not asked for: off, as on Anthropic's API.
            Think = Thinking ? null : ThinkOff,
        };
    }
}
