using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>What the walker has read so far; the native request is built only after the whole body was checked.</summary>
internal sealed class ResponsesRequestDraft
{
    public string? Model { get; set; }

    /// <summary>The raw <c>input</c>, read after the walk (it needs nothing else, but is checked last for clearer errors).</summary>
    public JsonElement? Input { get; set; }

    public string? Instructions { get; set; }

    public bool? Stream { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxOutputTokens { get; set; }

    public string? User { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public JsonElement? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    public JsonElement? Text { get; set; }

    public JsonElement? Reasoning { get; set; }

    public JsonElement? Metadata { get; set; }

    /// <summary>Native <c>format</c> from <c>text.format</c>.</summary>
    public JsonElement? Format { get; set; }

    /// <summary>Native <c>think</c> from <c>reasoning.effort</c>.</summary>
    public JsonElement? Think { get; set; }

    /// <summary>The echo of this request in the response object.</summary>
    public ResponsesEcho ToEcho() => new()
    {
        Instructions = Instructions,
        MaxOutputTokens = MaxOutputTokens,
        Temperature = Temperature,
        TopP = TopP,
        ParallelToolCalls = ParallelToolCalls ?? true,
        Tools = Tools,
        ToolChoice = ToolChoice,
        Text = Text,
        Reasoning = Reasoning,
        Metadata = Metadata,
    };

    /// <summary>Builds the native request from the translated messages and tools.</summary>
    public OllamaChatRequest ToOllamaRequest(List<OllamaChatMessage> messages, List<OllamaTool>? tools, bool dropTools)
    {
        var options = new OllamaOptions { Temperature = Temperature, TopP = TopP, NumPredict = MaxOutputTokens };
        return new OllamaChatRequest
        {
            Model = Model!,
            Messages = Instructions is null ? messages : [new OllamaChatMessage { Role = "system", Content = Instructions }, .. messages],
            Stream = Stream ?? false,
            Options = options.IsEmpty ? null : options,
            Tools = dropTools ? null : tools,
            Format = Format,
            Think = Think,
        };
    }
}
