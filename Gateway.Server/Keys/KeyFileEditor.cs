using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OllamaGateway.Auth;

namespace OllamaGateway.Server.Keys;

/// <summary>
/// Edits keys.json for the <c>keys</c> command line. The file must parse with <see cref="KeyFileParser"/> before
/// anything is changed (a file the gateway refuses is never rewritten), and the edit works on the JSON tree, so
/// every entry, field, order and <c>$schema</c> the edit does not touch is written back as it was. Only comments
/// are lost (<see cref="HadComments"/>): the file is written from its parsed form.
/// One instance makes one edit and saves it; <see cref="Keys"/> describes the file as it was read.
/// </summary>
internal sealed partial class KeyFileEditor
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    private static readonly SearchValues<char> s_base62 =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly byte[]? _original;
    private readonly JsonObject _root;

    private KeyFileEditor(string path, byte[]? original, JsonObject root, ApiKeySet keys)
    {
        Path = path;
        _original = original;
        _root = root;
        Keys = keys;
        HadComments = original is not null && ContainsComments(original);
    }

    public string Path { get; }

    /// <summary>The entries as read; index <c>i</c> is the file's <c>keys[i]</c>.</summary>
    public ApiKeySet Keys { get; }

    /// <summary>Whether the file held comments, which a rewrite drops.</summary>
    public bool HadComments { get; }

    private JsonArray Entries => (JsonArray)_root["keys"]!;

    /// <summary>Opens an existing file; throws <see cref="KeyFileException"/> when it does not parse.</summary>
    public static KeyFileEditor Open(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var keys = KeyFileParser.Parse(bytes, path);

        // The parser accepted it, so this is an object with a "keys" array.
        var root = (JsonObject)JsonNode.Parse(bytes, documentOptions: s_documentOptions)!;
        return new KeyFileEditor(path, bytes, root, keys);
    }

    /// <summary>Opens the file, or starts an empty one when it does not exist yet.</summary>
    public static KeyFileEditor OpenOrNew(string path) =>
        File.Exists(path) ? Open(path) : new KeyFileEditor(path, null, new JsonObject { ["keys"] = new JsonArray() }, ApiKeySet.Empty);

    /// <summary>The rule the parser applies to names (it keeps its own copy private).</summary>
    public static bool IsValidName(string name) => KeyFileParser.IsValidName(name);

    /// <summary>The position of the entry with this name (ignoring case, like the parser), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Keys.Keys.Count; i++)
        {
            if (string.Equals(Keys.Keys[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public void Add(NewKeyEntry entry) => Entries.Add(entry.ToJson());

    public void RemoveAt(int index) => Entries.RemoveAt(index);

    /// <summary>
    /// Replaces every plain-text key with its hash. An object entry keeps its name, its other fields and their
    /// order, with <c>hash</c> where <c>key</c> was; a bare string becomes <c>{"name":"key-&lt;i&gt;","hash":...}</c>
    /// with the first free name from its position on. A key in the generator's format also gets its display
    /// prefix; other keys do not, since their first characters may be much of the secret.
    /// </summary>
    public IReadOnlyList<PlainKeyConversion> HashPlainKeys()
    {
        var conversions = new List<PlainKeyConversion>();
        var taken = new HashSet<string>(Keys.Keys.Select(k => k.Name), StringComparer.OrdinalIgnoreCase);
        var entries = Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is JsonObject entry)
            {
                var keyIndex = entry.IndexOf("key");
                if (keyIndex < 0)
                {
                    continue;
                }

                var key = entry[keyIndex]!.GetValue<string>();
                entry.SetAt(keyIndex, "hash", KeyHash.Compute(key).ToString());
                if (!entry.ContainsKey("prefix") && IsGeneratedKey(key))
                {
                    entry.Insert(keyIndex + 1, "prefix", key[..ApiKeyGenerator.DisplayPrefixLength]);
                }

                conversions.Add(new PlainKeyConversion(Keys.Keys[i].Name, Keys.Keys[i].Name));
            }
            else
            {
                // The parser accepted the file, so anything that is not an object is a key string.
                var key = entries[i]!.GetValue<string>();
                var name = FreeName(i, taken);
                var replacement = new NewKeyEntry(name, KeyHash.Compute(key))
                {
                    Prefix = IsGeneratedKey(key) ? key[..ApiKeyGenerator.DisplayPrefixLength] : null,
                };
                entries[i] = replacement.ToJson();
                conversions.Add(new PlainKeyConversion(Keys.Keys[i].Name, name));
            }
        }

        return conversions;
    }

    /// <summary>Writes the edited file atomically, owner-only, after checking that it parses and was not changed meanwhile.</summary>
    public void Save() => KeyFileWriter.Replace(Path, _root, _original);

    private static string FreeName(int position, HashSet<string> taken)
    {
        for (var n = position; ; n++)
        {
            var name = $"key-{n}";
            if (taken.Add(name))
            {
                return name;
            }
        }
    }

    private static bool IsGeneratedKey(string key) =>
        key.StartsWith(ApiKeyGenerator.Prefix, StringComparison.Ordinal)
        && key.Length == ApiKeyGenerator.Prefix.Length + 43
        && !key.AsSpan(ApiKeyGenerator.Prefix.Length).ContainsAnyExcept(s_base62);

    // A cheap scan for // or /* outside strings; enough to warn that a rewrite drops them.
    private static bool ContainsComments(ReadOnlySpan<byte> json)
    {
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '/' && i + 1 < json.Length && json[i + 1] is (byte)'/' or (byte)'*')
            {
                return true;
            }
        }

        return false;
    }
}
