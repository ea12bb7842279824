using System.Text.Json;
using System.Text.RegularExpressions;

namespace OllamaGateway.Auth;

/// <summary>
/// Reads keys.json. Two entry forms are accepted: the original proxy's plain strings
/// (<c>{"keys":["sk-..."]}</c>) and objects (<c>{"name":"alice","key":"sk-..."}</c> or
/// <c>{"name":"alice","hash":"sha256:&lt;64 hex&gt;"}</c>).
/// Anything else is an error: a file the gateway cannot fully understand authenticates nobody,
/// and an unknown field (a typo, or a restriction this version does not enforce) is refused rather
/// than ignored.
/// </summary>
internal static partial class KeyFileParser
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

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
            return new ApiKey(where, KeyHash.Compute(ValidPlainKey(entry.GetString(), where, source)));
        }

        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"{where}: an entry must be a key string or an object with 'name' and 'key' or 'hash'");
        }

        string? name = null;
        string? plain = null;
        string? hashText = null;
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
                default:
                    throw Error(source, $"{where}: unknown field '{property.Name}' (expected 'name', 'key' or 'hash')");
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

        if (plain is not null)
        {
            return new ApiKey(name, KeyHash.Compute(ValidPlainKey(plain, where, source)));
        }

        if (!KeyHash.TryParse(hashText, out var hash))
        {
            throw Error(source, $"{where} ('{name}'): 'hash' must be 'sha256:' followed by 64 hex digits");
        }

        return new ApiKey(name, hash);
    }

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

    private static KeyFileException Error(string source, string problem, Exception? inner = null) =>
        new($"Keys file '{source}': {problem}.", inner);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
