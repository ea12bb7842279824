using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OllamaGateway.Policy;

namespace OllamaGateway.Auth;

/// <summary>
/// Reads keys.json. Two entry forms are accepted: the original proxy's plain strings
/// (<c>{"keys":["sk-..."]}</c>) and objects (<c>{"name":"alice","key":"sk-..."}</c> or
/// <c>{"name":"alice","hash":"sha256:&lt;64 hex&gt;"}</c>).
/// Anything else is an error: a file the gateway cannot fully understand authenticates nobody,
/// and an unknown field (a typo, or a restriction this version does not enforce) is refused rather
/// than ignored.
/// </summary>
public static partial class KeyFileParser
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    /// <summary>
    /// Parses a whole keys file. Throws <see cref="KeyFileException"/>, naming <paramref name="source"/> and the place,
    /// for anything it cannot fully read: the gateway never authenticates from a file it understood only in part.
    /// </summary>
    public static ApiKeySet Parse(ReadOnlySpan<byte> json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), s_documentOptions);
        }
        catch (JsonException ex)
        {
            throw Error(source, $"not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "the file must be a JSON object such as {\"keys\": [...]}");
            }

            JsonElement? keysArray = null;
            foreach (var property in UniqueProperties(root, source, "top level"))
            {
                switch (property.Name)
                {
                    case "keys":
                        keysArray = property.Value;
                        break;
                    case "$schema":
                        break;
                    default:
                        throw Error(source, $"unknown top-level field '{property.Name}' (expected 'keys')");
                }
            }

            if (keysArray is not { ValueKind: JsonValueKind.Array } array)
            {
                throw Error(source, "the file must have a 'keys' array");
            }

            var keys = new List<ApiKey>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var hashes = new HashSet<KeyHash>();
            var index = 0;
            foreach (var entry in array.EnumerateArray())
            {
                var where = $"keys[{index}]";
                var key = ParseEntry(entry, where, source);
                if (!names.Add(key.Name))
                {
                    throw Error(source, $"{where}: the name '{key.Name}' is used twice");
                }

                if (!hashes.Add(key.Hash))
                {
                    throw Error(source, $"{where}: the same key appears twice");
                }

                keys.Add(key);
                index++;
            }

            return new ApiKeySet(keys);
        }
    }

    private static ApiKey ParseEntry(JsonElement entry, string where, string source)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            return new ApiKey(where, KeyHash.Compute(ValidPlainKey(entry.GetString(), where, source))) { IsPlainText = true };
        }

        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"{where}: an entry must be a key string or an object with 'name' and 'key' or 'hash'");
        }

        string? name = null;
        string? plain = null;
        string? hashText = null;
        var models = ModelAccess.All;
        var admin = false;
        var metrics = false;
        var disabled = false;
        DateTimeOffset? expires = null;
        var limits = KeyLimits.None;
        string? prefix = null;
        foreach (var property in UniqueProperties(entry, source, where))
        {
            switch (property.Name)
            {
                case "name":
                    name = StringValue(property, where, source);
                    break;
                case "key":
                    plain = StringValue(property, where, source);
                    break;
                case "hash":
                    hashText = StringValue(property, where, source);
                    break;
                case "models":
                    models = ParseModels(property.Value, where, source);
                    break;
                case "admin":
                    admin = BoolValue(property, where, source);
                    break;
                case "disabled":
                    disabled = BoolValue(property, where, source);
                    break;
                case "metrics":
                    metrics = BoolValue(property, where, source);
                    break;
                case "expires":
                    expires = ParseExpiry(property, where, source);
                    break;
                case "limits":
                    limits = ParseLimits(property.Value, $"{where}.limits", source);
                    break;
                case "prefix":
                    prefix = StringValue(property, where, source);
                    if (prefix.Length > ApiKey.MaxPrefixLength || prefix.Any(c => c is <= ' ' or > '~'))
                    {
                        throw Error(source, $"{where}: 'prefix' is the key's first {ApiKey.MaxPrefixLength} characters at most, shown by 'keys list'");
                    }

                    break;
                default:
                    throw Error(source, $"{where}: unknown field '{property.Name}' (expected name, key, hash, prefix, models, admin, metrics, expires, disabled, limits)");
            }
        }

        if (name is null || !NamePattern().IsMatch(name))
        {
            throw Error(source, $"{where}: 'name' is required: 1 to 64 letters, digits, '.', '_' or '-'");
        }

        if ((plain is null) == (hashText is null))
        {
            throw Error(source, $"{where} ('{name}'): give exactly one of 'key' or 'hash'");
        }

        KeyHash hash;
        if (plain is not null)
        {
            hash = KeyHash.Compute(ValidPlainKey(plain, where, source));
        }
        else if (!KeyHash.TryParse(hashText, out hash))
        {
            throw Error(source, $"{where} ('{name}'): 'hash' must be 'sha256:' followed by 64 hex digits");
        }

        return new ApiKey(name, hash) { Models = models, Admin = admin, Metrics = metrics, Disabled = disabled, Expires = expires, Limits = limits, IsPlainText = plain is not null, Prefix = prefix };
    }

    private static ModelAccess ParseModels(JsonElement value, string where, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, $"{where}: 'models' must be an array of model names or patterns such as \"llama3.2*\"");
        }

        var patterns = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var pattern = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (pattern is null || !ModelAccess.IsValidPattern(pattern))
            {
                throw Error(source, $"{where}: models[{patterns.Count}] must be a model name or pattern (letters, digits, '.', '-', '_', ':', '/', '*', '?')");
            }

            patterns.Add(pattern);
        }

        return ModelAccess.FromPatterns(patterns);
    }

    private static DateTimeOffset ParseExpiry(JsonProperty property, string where, string source)
    {
        // An explicit offset is required: "2027-06-30" alone would depend on the server's time zone.
        if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { } text || text.Length < 11 || !(text.EndsWith('Z') || text[^6] is '+' or '-')
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
        {
            throw Error(source, $"{where}: 'expires' must be an ISO 8601 time with a zone, such as \"2027-06-30T00:00:00Z\"");
        }

        return expires;
    }

    private static KeyLimits ParseLimits(JsonElement value, string where, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"{where} must be an object such as {{\"requestsPerMinute\": 60, \"concurrentRequests\": 2}}");
        }

        int? perMinute = null;
        int? concurrent = null;
        long? tokensPerMinute = null;
        long? tokensPerDay = null;
        foreach (var property in UniqueProperties(value, source, where))
        {
            switch (property.Name)
            {
                case "requestsPerMinute":
                    perMinute = PositiveInt(property, where, source);
                    break;
                case "concurrentRequests":
                    concurrent = PositiveInt(property, where, source);
                    break;
                case "tokensPerMinute":
                    tokensPerMinute = PositiveLong(property, where, source);
                    break;
                case "tokensPerDay":
                    tokensPerDay = PositiveLong(property, where, source);
                    break;
                default:
                    throw Error(source, $"{where}: unknown field '{property.Name}' (expected requestsPerMinute, concurrentRequests, tokensPerMinute, tokensPerDay)");
            }
        }

        return new KeyLimits(perMinute, concurrent, tokensPerMinute, tokensPerDay);
    }

    private static int PositiveInt(JsonProperty property, string where, string source) =>
        property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var value) && value > 0
            ? value
            : throw Error(source, $"{where}: '{property.Name}' must be a whole number of at least 1");

    private static long PositiveLong(JsonProperty property, string where, string source) =>
        property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var value) && value > 0
            ? value
            : throw Error(source, $"{where}: '{property.Name}' must be a whole number of at least 1");

    private static bool BoolValue(JsonProperty property, string where, string source) => property.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(source, $"{where}: '{property.Name}' must be true or false"),
    };

    private static string ValidPlainKey(string? key, string where, string source)
    {
        // A key must survive an HTTP header unchanged: visible ASCII only, no spaces.
        if (string.IsNullOrEmpty(key) || key.Length > KeyHash.MaxKeyLength || key.Any(c => c is <= ' ' or > '~'))
        {
            throw Error(source, $"{where}: a key must be 1 to {KeyHash.MaxKeyLength} visible ASCII characters without spaces");
        }

        return key;
    }

    private static string StringValue(JsonProperty property, string where, string source) =>
        property.Value.ValueKind == JsonValueKind.String
            ? property.Value.GetString()!
            : throw Error(source, $"{where}: '{property.Name}' must be a string");

    private static List<JsonProperty> UniqueProperties(JsonElement element, string source, string where)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var properties = new List<JsonProperty>();
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Error(source, $"{where}: the field '{property.Name}' appears twice");
            }

            properties.Add(property);
        }

        return properties;
    }

    /// <summary>Whether <paramref name="name"/> is a valid key name: 1 to 64 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>.</summary>
    public static bool IsValidName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) => name is not null && NamePattern().IsMatch(name);

    private static KeyFileException Error(string source, string problem, Exception? inner = null) =>
        new($"Keys file '{source}': {problem}.", inner);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
