using System.Text.Json;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Translation.Anthropic;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c>: answered by the gateway with an estimate, <c>{"input_tokens":N}</c>. Ollama has
/// no endpoint that tokenizes a chat prompt (only running it counts it, which would load the model and evaluate the whole
/// prompt), so N is the number of characters the model would read divided by four, rounded up, plus 1,600 per image
/// (the most Anthropic counts for one) — the rule Ollama's own Claude Desktop proxy uses for text. The body is read and
/// checked exactly as for <c>/v1/messages</c> (same 400s, the key's model rights), without <c>max_tokens</c>. Claude
/// Code uses the answer only for its context display.
/// </summary>
internal sealed class AnthropicCountTokensTranslator : RouteTranslator<AnthropicTranslation>
{
    private const int CharactersPerToken = 4;
    private const int TokensPerImage = 1600;

    /// <summary>The one instance: the translator is stateless.</summary>
    public static AnthropicCountTokensTranslator Instance { get; } = new();

    /// <inheritdoc/>
    public override (AnthropicTranslation? Request, TranslationError? Error) Translate(byte[] body)
    {
        var (_, native, error) = AnthropicRequestTranslator.Read(body, requireMaxTokens: false);
        if (error is not null)
        {
            return (null, error);
        }

        long estimate = Estimate(native!);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("input_tokens"u8, estimate);
            writer.WriteEndObject();
        }

        // The native body is what the guard checks; it is never sent.
        byte[] ollamaBody = JsonSerializer.SerializeToUtf8Bytes(native! with { Stream = false }, OllamaJsonContext.Default.OllamaChatRequest);
        return (new AnthropicTranslation(native!.Model, Stream: false, ollamaBody, EndUser: null, LocalAnswer: stream.ToArray()), null);
    }

    /// <summary>Never called: the request carries its own answer.</summary>
    public override IStreamTranslator CreateStream(AnthropicTranslation request, long created) =>
        throw new InvalidOperationException("count_tokens is answered by the gateway.");

    /// <summary>Never called: the request carries its own answer.</summary>
    public override TranslatedAnswer TranslateAnswer(AnthropicTranslation request, byte[] answer, long created) =>
        throw new InvalidOperationException("count_tokens is answered by the gateway.");

    /// <summary>The estimate for <paramref name="request"/>: what the model reads, in characters / 4, and images.</summary>
    internal static long Estimate(OllamaChatRequest request)
    {
        long characters = 0;
        long images = 0;
        foreach (OllamaChatMessage message in request.Messages)
        {
            characters += message.Content.Length + (message.Thinking?.Length ?? 0);
            images += message.Images?.Count ?? 0;
            foreach (OllamaToolCall call in message.ToolCalls ?? [])
            {
                characters += call.Function.Name.Length + call.Function.Arguments.GetRawText().Length;
            }
        }

        foreach (OllamaTool tool in request.Tools ?? [])
        {
            characters += tool.Function.Name.Length + (tool.Function.Description?.Length ?? 0) + tool.Function.Parameters.GetRawText().Length;
        }

        return ((characters + CharactersPerToken - 1) / CharactersPerToken) + (images * TokensPerImage);
    }
}
