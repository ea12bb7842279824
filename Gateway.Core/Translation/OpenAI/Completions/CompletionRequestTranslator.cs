using OllamaGateway.Json;
using System.Diagnostics;
using System.Text.Json;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;
using OllamaGateway.Translation.OpenAI;

namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>
/// Translates an OpenAI legacy <c>POST /v1/completions</c> body into an Ollama <c>POST /api/generate</c> body.
/// </summary>
/// <remarks>
/// A hand-written <see cref="Utf8JsonReader"/> walk, like <see cref="Chat.ChatRequestTranslator"/> and for the same
/// reasons: every key is seen as written (duplicates, case variants and unknown keys are refused, see
/// <see cref="JsonKeyTracker"/>), errors name the exact <c>param</c>, and null means absent. The native body is written
/// by <see cref="CompletionRequestDraft.ToOllamaBody"/> from checked values only, so no client byte is forwarded.
/// Where Ollama's own layer ignores a field it cannot honour (<c>echo</c>, <c>n</c>, <c>best_of</c>,
/// <c>logit_bias</c>; wire reference §3.6), the gateway refuses it instead, so a caller never gets a reply that
/// silently differs from what it asked for.
/// </remarks>
internal static class CompletionRequestTranslator
{
    private const string PromptKey = "prompt";

    /// <summary>Translates the client's body. Exactly one of the returned values is non-null.</summary>
    /// <param name="openAiJson">The raw request body.</param>
    public static (CompletionTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> openAiJson)
    {
        var draft = new CompletionRequestDraft();
        TranslationError? error = ReadRootObject(openAiJson, CompletionRequestFields.TopLevel, draft, ReadTopLevelValue)
            ?? CheckRequired(draft);
        if (error is not null)
        {
            return (null, error);
        }

        bool stream = draft.Stream ?? false;

        // include_usage only means something for a stream (OpenAI refuses it otherwise; Ollama ignores it).
        bool includeUsage = stream && (draft.IncludeUsage ?? false);
        return (new CompletionTranslation(draft.Model!, stream, includeUsage, draft.ToOllamaBody(), draft.User), null);
    }

    private static TranslationError? CheckRequired(CompletionRequestDraft draft)
    {
        if (draft.Model is null)
        {
            return RequestErrors.Missing("model");
        }

        // OpenAI would default an absent prompt to "<|endoftext|>"; natively an absent prompt is an empty one,
        // which loads the model instead of generating. Neither is what the caller wants.
        if (draft.Prompt is null)
        {
            return RequestErrors.Missing(PromptKey);
        }

        return null;
    }

    private static TranslationError? ReadTopLevelValue(ref Utf8JsonReader reader, string name, CompletionRequestDraft draft)
    {
        if (CompletionRequestFields.IsPlatformOnly(name))
        {
            reader.Skip();
            return null;
        }

        if (TryReadSharedValue(ref reader, name, draft, CompletionRequestFields.StreamOptions, out TranslationError? error))
        {
            return error;
        }

        switch (name)
        {
            case PromptKey:
                error = ReadPrompt(ref reader, out string? prompt);
                draft.Prompt = prompt;
                return error;
            case "suffix":
                error = ReadString(ref reader, name, out string? suffix);

                // Natively "" is the same as no suffix (Go's zero value), so it is simply not sent.
                draft.Suffix = suffix is { Length: > 0 } ? suffix : null;
                return error;
            case "echo":
                error = ReadBool(ref reader, name, out bool? echo);

                // Ollama's layer ignores echo, so the prompt would silently be missing from the text.
                return error ?? (echo == true
                    ? RequestErrors.InvalidValue(name, "echo is not supported by this gateway; omit it or send false.")
                    : null);
            case "n" or "best_of":
                // Ollama produces exactly one choice; answering n>1 with one would silently break callers.
                error = ReadInt64(ref reader, name, out long? count);
                return error ?? (count is not null && count != 1
                    ? RequestErrors.InvalidValue(name, $"this gateway only supports {name} = 1.")
                    : null);
            case "logprobs":
                // Native generate logprobs exist, but the legacy shape (tokens, text_offset, top_logprobs as maps)
                // is not translated: refuse any value rather than answer with logprobs:null.
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return null;
                }

                reader.Skip();
                return RequestErrors.Unsupported(name);
            case "logit_bias":
                return ReadLogitBias(ref reader, name);
            default:
                Debug.Assert(!CompletionRequestFields.TopLevel.MatchesIgnoringCase(name), $"Known key '{name}' has no reader.");
                return RequestErrors.Unsupported(name);
        }
    }

    /// <summary>
    /// <c>prompt</c>: a non-empty string, or an array holding exactly one. Several prompts would need several
    /// choices (n&gt;1 in effect), and token arrays cannot be turned back into text without the model's tokenizer.
    /// An empty prompt is refused because natively it loads (or, with keep_alive 0, unloads) the model instead of
    /// generating (wire reference §1.4).
    /// </summary>
    private static TranslationError? ReadPrompt(ref Utf8JsonReader reader, out string? prompt)
    {
        prompt = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null; // Absent; the missing-parameter check after the walk reports it.
            case JsonTokenType.String:
                prompt = reader.GetString()!;
                return prompt.Length == 0 ? EmptyPrompt(PromptKey) : null;
            case JsonTokenType.StartArray:
                return ReadPromptArray(ref reader, out prompt);
            default:
                return RequestErrors.InvalidType(PromptKey, "a string or an array of one string", reader.TokenType);
        }
    }

    private static TranslationError? ReadPromptArray(ref Utf8JsonReader reader, out string? prompt)
    {
        prompt = null;
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string itemParam = $"{PromptKey}[{count}]";
            if (reader.TokenType is JsonTokenType.Number or JsonTokenType.StartArray)
            {
                return RequestErrors.InvalidValue(
                    PromptKey, "token arrays are not supported by this gateway; send the prompt as a string.");
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return RequestErrors.InvalidType(itemParam, "a string", reader.TokenType);
            }

            if (count > 0)
            {
                return RequestErrors.InvalidValue(
                    PromptKey, "this gateway supports one prompt per request (n>1 prompts are not supported).");
            }

            prompt = reader.GetString()!;
            if (prompt.Length == 0)
            {
                return EmptyPrompt(itemParam);
            }

            count++;
        }

        return count == 0 ? RequestErrors.EmptyArray(PromptKey) : null;
    }

    private static TranslationError EmptyPrompt(string param) =>
        RequestErrors.InvalidValue(param, "the prompt must not be empty.");

    private static TranslationError? ReadLogitBias(ref Utf8JsonReader reader, string param)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                // {} biases nothing (some clients send it by default); any entry would be silently ignored natively.
                reader.Read();
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return null;
                }

                return RequestErrors.Unsupported(param);
            default:
                return RequestErrors.InvalidType(param, "an object", reader.TokenType);
        }
    }
}
