using OllamaGateway.Validation;
using OllamaGateway.Json;

namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>
/// The one place that says which OpenAI legacy completion request keys the gateway knows. A key in none of these
/// lists is refused with 400 naming it.
/// </summary>
internal static class CompletionRequestFields
{
    /// <summary>Top-level keys that are translated into the Ollama request (or into <see cref="CompletionTranslation"/>).</summary>
    public static readonly string[] Mapped =
    [
        "model", "prompt", "suffix", "max_tokens", "stop", "temperature", "top_p", "seed", "presence_penalty",
        "frequency_penalty", "stream", "stream_options", "user",
    ];

    /// <summary>
    /// Keys OpenAI defines that the gateway reads only to refuse the values it cannot honour: Ollama produces one
    /// choice without the prompt echoed, log probabilities or token biases, and answering such a request as if it
    /// had been honoured would silently break the caller. Their neutral values (<c>echo:false</c>, <c>n:1</c>,
    /// <c>best_of:1</c>, <c>logprobs:null</c>, <c>logit_bias:{}</c>) are accepted.
    /// </summary>
    public static readonly string[] Checked = ["echo", "n", "best_of", "logprobs", "logit_bias"];

    /// <summary>
    /// Top-level keys that only steer OpenAI's platform (storage, metadata, billing tier): accepted and dropped,
    /// because they change nothing about the generated text.
    /// </summary>
    public static readonly string[] PlatformOnly = ["store", "metadata", "service_tier"];

    /// <summary>Every top-level key the gateway knows; used to spot case variants.</summary>
    public static readonly FieldSet TopLevel = new([.. Mapped, .. Checked, .. PlatformOnly]);

    /// <summary>Keys of <c>stream_options</c>; <c>include_obfuscation</c> is platform-only and ignored.</summary>
    public static readonly FieldSet StreamOptions = new("include_usage", "include_obfuscation");

    /// <summary>Whether <paramref name="name"/> (exact, case-sensitive) is a platform-only key to accept and drop.</summary>
    public static bool IsPlatformOnly(string name) => Array.IndexOf(PlatformOnly, name) >= 0;
}
