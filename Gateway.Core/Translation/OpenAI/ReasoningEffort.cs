using System.Text.Json;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// Maps OpenAI's <c>reasoning_effort</c> to native <c>think</c>, as Ollama's own layer does (reference §3.2, since v0.11.5):
/// <c>none</c> → <c>false</c>; <c>minimal</c> → <c>"low"</c> (the lowest native level); <c>low</c>, <c>medium</c>, <c>high</c>
/// → the same level; <c>xhigh</c> and <c>max</c> → <c>"max"</c> (native since v0.22.0). Absent sends no <c>think</c>, so a
/// thinking model keeps its default (thinking on since v0.12.4).
/// </summary>
internal static class ReasoningEffort
{
    private static readonly JsonElement ThinkOff = JsonElement.Parse("false");
    private static readonly JsonElement ThinkLow = JsonElement.Parse("\"low\"");
    private static readonly JsonElement ThinkMedium = JsonElement.Parse("\"medium\"");
    private static readonly JsonElement ThinkHigh = JsonElement.Parse("\"high\"");
    private static readonly JsonElement ThinkMax = JsonElement.Parse("\"max\"");

    /// <summary>Reads the value at the top-level key <c>reasoning_effort</c>.</summary>
    public static TranslationError? Read(ref Utf8JsonReader reader, out JsonElement? think)
    {
        const string Param = "reasoning_effort";
        think = null;
        TranslationError? error = OpenAIJsonReading.ReadString(ref reader, Param, out string? effort);
        if (error is not null || effort is null)
        {
            return error;
        }

        return Map(effort, Param, out think);
    }

    /// <summary>Maps an effort read elsewhere (the Responses API's <c>reasoning.effort</c>); <paramref name="param"/> names it in the 400.</summary>
    public static TranslationError? Map(string effort, string param, out JsonElement? think)
    {
        think = effort switch
        {
            "none" => ThinkOff,
            "minimal" or "low" => ThinkLow,
            "medium" => ThinkMedium,
            "high" => ThinkHigh,
            "xhigh" or "max" => ThinkMax,
            _ => null,
        };
        return think is null
            ? RequestErrors.InvalidValue(param, $"'{ClientText.Quote(effort)}' is not one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'.")
            : null;
    }
}
