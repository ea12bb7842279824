using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation;

/// <summary>
/// Builds the 400 errors of the request translator. Wording and codes follow what OpenAI answers for the same
/// mistake (<c>invalid_type</c>, <c>missing_required_parameter</c>...), so SDK users see familiar messages.
/// </summary>
internal static class RequestErrors
{
    /// <summary>Body is not parseable JSON (or not UTF-8, or has trailing data).</summary>
    public static TranslationError InvalidJson() =>
        new("We could not parse the JSON body of your request. The body must be one valid UTF-8 JSON object.", null);

    /// <summary>Body is JSON but not an object.</summary>
    public static TranslationError NotAnObject() =>
        new("The request body must be a JSON object.", null);

    /// <summary>A required parameter is absent or null.</summary>
    public static TranslationError Missing(string param) =>
        new($"Missing required parameter: '{ClientText.Quote(param)}'.", ClientText.Quote(param), "missing_required_parameter");

    /// <summary>A parameter has the wrong JSON type.</summary>
    public static TranslationError InvalidType(string param, string expected, JsonTokenType actual) =>
        new($"Invalid type for '{ClientText.Quote(param)}': expected {expected}, but got {Describe(actual)} instead.", ClientText.Quote(param), "invalid_type");

    /// <summary>A number where an integer is required: a fraction, an exponent form or out of range.</summary>
    public static TranslationError NotAnInteger(string param) =>
        new($"Invalid type for '{ClientText.Quote(param)}': expected an integer, but got a decimal or out-of-range number instead.",
            ClientText.Quote(param), "invalid_type");

    /// <summary>A parameter has the right type but a value the gateway cannot accept.</summary>
    public static TranslationError InvalidValue(string param, string detail) =>
        new($"Invalid value for '{ClientText.Quote(param)}': {detail}", ClientText.Quote(param), "invalid_value");

    /// <summary>An array that must not be empty is empty (Ollama's wording, since v0.12.4).</summary>
    public static TranslationError EmptyArray(string param) =>
        new($"[] is too short - '{ClientText.Quote(param)}'", ClientText.Quote(param), "empty_array");

    /// <summary>A key the gateway does not translate (yet).</summary>
    public static TranslationError Unsupported(string param) =>
        new($"Unsupported parameter: '{ClientText.Quote(param)}' is not supported by this gateway.", ClientText.Quote(param), "unsupported_parameter");

    /// <summary>The refusal for a key <see cref="JsonKeyTracker"/> found ambiguous, or null when it is fine.</summary>
    public static TranslationError? ForKey(KeyCheck check, string param) => check.Problem switch
    {
        KeyProblem.None => null,
        KeyProblem.Duplicate => DuplicateKey(param),
        _ => CaseVariantKey(param, check.KnownName!),
    };

    /// <summary>A key seen twice, counting case variants (Ollama's Go decoder folds case, so both would reach it).</summary>
    public static TranslationError DuplicateKey(string param) =>
        new($"Duplicate key '{ClientText.Quote(param)}': each key may appear only once, and keys that differ only in case count as the same key.",
            ClientText.Quote(param), "duplicate_key");

    /// <summary>A key that differs from a known key only in case.</summary>
    public static TranslationError CaseVariantKey(string param, string known) =>
        new($"Unrecognized key '{ClientText.Quote(param)}': keys are case-sensitive; did you mean '{ClientText.Quote(known)}'?", ClientText.Quote(param), "invalid_key");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.Null => "null",
        _ => "an unexpected token",
    };
}
