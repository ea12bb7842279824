using System.Text.Json;
using OllamaGateway.Json;
using OllamaGateway.Translation.OpenAI;

namespace OllamaGateway.Translation;

/// <summary>
/// Small checks on already-parsed request values (Responses items, parts and tools; Anthropic content blocks), each
/// answering with the exact path.
/// </summary>
internal static class JsonElementChecks
{
    /// <summary>Checks an object's keys for duplicates and case variants of <paramref name="known"/>, and reads its <c>type</c>.</summary>
    public static TranslationError? CheckKeys(JsonElement owner, string path, FieldSet known, bool requireType, out string? type)
    {
        type = null;
        var keys = new JsonKeyTracker(known);
        foreach (JsonProperty property in owner.EnumerateObject())
        {
            TranslationError? error = RequestErrors.ForKey(keys.Add(property.Name), $"{path}.{property.Name}");
            if (error is not null)
            {
                return error;
            }
        }

        return GetString(owner, path, "type", requireType, out type);
    }

    /// <summary>Refuses any key not in <paramref name="allowed"/>.</summary>
    public static TranslationError? Allow(JsonElement owner, string path, string[] allowed)
    {
        foreach (JsonProperty property in owner.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                return RequestErrors.Unsupported($"{path}.{property.Name}");
            }
        }

        return null;
    }

    /// <summary>A string property; null (or absent) is absent, and a missing required one is a 400.</summary>
    public static TranslationError? GetString(JsonElement owner, string path, string name, bool required, out string? value)
    {
        value = null;
        if (!owner.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? RequestErrors.Missing($"{path}.{name}") : null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return RequestErrors.InvalidType($"{path}.{name}", "a string", TokenOf(element));
        }

        value = element.GetString();
        return null;
    }

    /// <summary>An object property (a JSON schema) with no repeated keys at any depth; null (or absent) is absent.</summary>
    public static TranslationError? GetObject(JsonElement owner, string path, string name, out JsonElement? value)
    {
        value = null;
        if (!owner.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return RequestErrors.InvalidType($"{path}.{name}", "an object", TokenOf(element));
        }

        string? duplicate = OpenAIJsonReading.FindDuplicateKey(element, $"{path}.{name}");
        if (duplicate is not null)
        {
            return RequestErrors.DuplicateKey(duplicate);
        }

        value = element;
        return null;
    }

    /// <summary>The token type a parsed value had, for <see cref="RequestErrors.InvalidType"/>.</summary>
    public static JsonTokenType TokenOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonTokenType.StartObject,
        JsonValueKind.Array => JsonTokenType.StartArray,
        JsonValueKind.String => JsonTokenType.String,
        JsonValueKind.Number => JsonTokenType.Number,
        JsonValueKind.True => JsonTokenType.True,
        JsonValueKind.False => JsonTokenType.False,
        _ => JsonTokenType.Null,
    };
}
