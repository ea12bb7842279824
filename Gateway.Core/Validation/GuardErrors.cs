using OllamaGateway.Json;
using OllamaGateway.Errors;

namespace OllamaGateway.Validation;

/// <summary>
/// Builds the <see cref="GuardError"/>s. Messages name the key (its JSON path) but never repeat a client value, so
/// a prompt or an image cannot end up in a log through an error.
/// </summary>
internal static class GuardErrors
{
    private const int BadRequest = 400;
    private const int Forbidden = 403;

    /// <summary>Not parseable JSON: bad syntax, invalid UTF-8, trailing data, an empty body or a lone surrogate escape.</summary>
    public static GuardError InvalidJson() =>
        new(BadRequest, "The request body must be one valid UTF-8 JSON object.");

    /// <summary>JSON, but not an object.</summary>
    public static GuardError NotAnObject() => new(BadRequest, "The request body must be a JSON object.");

    /// <summary>Objects or arrays nested deeper than the limit.</summary>
    public static GuardError TooDeep(int limit) =>
        new(BadRequest, $"The request body nests objects and arrays more than {limit} levels deep.");

    /// <summary>The refusal for a key <see cref="JsonKeyTracker"/> found ambiguous, or null when it is fine.</summary>
    public static GuardError? ForKey(KeyCheck check, string path) => check.Problem switch
    {
        KeyProblem.None => null,
        KeyProblem.Duplicate => DuplicateKey(path),
        _ => CaseVariant(path, check.KnownName!),
    };

    /// <summary>A key repeated in one object, counting case variants.</summary>
    public static GuardError DuplicateKey(string path) =>
        new(BadRequest, $"Duplicate key '{ClientText.Quote(path)}': each key may appear only once, and keys that differ only in case count as the same key.");

    /// <summary>A key that Ollama would read as <paramref name="known"/>.</summary>
    public static GuardError CaseVariant(string path, string known) =>
        new(BadRequest, $"Key '{ClientText.Quote(path)}' differs from '{ClientText.Quote(known)}' only in case; Ollama would read it as '{ClientText.Quote(known)}'. Use the exact lower-case name.");

    /// <summary>A field that would choose where Ollama connects.</summary>
    public static GuardError ConnectionField(string path) =>
        new(BadRequest, $"Field '{ClientText.Quote(path)}' is not allowed: the gateway decides where requests and models come from.");

    /// <summary>A deprecated create field the gateway refuses.</summary>
    public static GuardError RefusedField(string path, string reason) =>
        new(BadRequest, $"Field '{ClientText.Quote(path)}' is not allowed: {reason}");

    /// <summary>A field of the wrong JSON type.</summary>
    public static GuardError InvalidType(string path, string expected) =>
        new(BadRequest, $"Invalid type for '{ClientText.Quote(path)}': expected {expected}.");

    /// <summary>A field with an unusable value.</summary>
    public static GuardError InvalidValue(string path, string detail) =>
        new(BadRequest, $"Invalid value for '{ClientText.Quote(path)}': {detail}");

    /// <summary>No model named.</summary>
    public static GuardError Missing(string field) => new(BadRequest, $"Missing required field '{ClientText.Quote(field)}'.");

    /// <summary>Both <c>model</c> and its deprecated alias <c>name</c>.</summary>
    public static GuardError ModelAndName() =>
        new(BadRequest, "Give the model in 'model' or in the deprecated 'name', not both.");

    /// <summary>More images than allowed.</summary>
    public static GuardError TooManyImages(int limit) =>
        new(BadRequest, $"A request may carry at most {limit} images.");

    /// <summary>A registry host outside the allowlist.</summary>
    public static GuardError RegistryNotAllowed(string field, string host) =>
        new(Forbidden, $"Field '{ClientText.Quote(field)}' names registry '{ClientText.Quote(host)}', which this gateway does not allow.");

    /// <summary>A URL scheme other than http/https before a model name.</summary>
    public static GuardError SchemeNotAllowed(string field) =>
        new(Forbidden, $"Field '{ClientText.Quote(field)}' uses a scheme this gateway does not allow; only https:// is accepted.");

    /// <summary><c>insecure: true</c> or an <c>http://</c> name without <see cref="RegistryPolicy.AllowInsecure"/>.</summary>
    public static GuardError InsecureNotAllowed(string field) =>
        new(Forbidden, $"Field '{ClientText.Quote(field)}' asks for an insecure registry connection, which this gateway does not allow.");
}
