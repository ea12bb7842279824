using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OllamaGateway.Auth;

namespace OllamaGateway.Server.Keys;

/// <summary>
/// Changes keys.json safely: the new content is written to a temporary file beside it and moved over
/// the old one, so a crash never leaves half a file, and the file is readable by its owner only.
/// Entries the change does not touch are kept as they were.
/// </summary>
internal static class KeyFileWriter
{
    // Relaxed escaping: the file is read by people and the parser, never embedded in HTML, so '+' in a time
    // zone or '&' in a URL stays as written instead of becoming \u002B or \u0026.
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds a hashed entry, creating the file when it does not exist.</summary>
    public static void AddHashedKey(string path, string name, KeyHash hash)
    {
        var root = File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
              ?? throw new KeyFileException($"Keys file '{path}': the file must be a JSON object such as {{\"keys\": [...]}}.")
            : new JsonObject();

        if (root["keys"] is not JsonArray keys)
        {
            keys = new JsonArray();
            root["keys"] = keys;
        }

        keys.Add(new JsonObject { ["name"] = name, ["hash"] = hash.ToString() });
        Replace(path, root, expectedCurrent: null);
    }

    /// <summary>
    /// Writes <paramref name="root"/> as the whole file. What is about to be written is parsed first, so a good
    /// file is never replaced with one the gateway would refuse. When <paramref name="expectedCurrent"/> is
    /// given, the file must still hold exactly those bytes: an edit made by someone else since it was read is
    /// not silently overwritten (the remaining window is the moment between this check and the rename).
    /// Comments in the old file do not survive: the content is written from its parsed form.
    /// </summary>
    public static void Replace(string path, JsonObject root, byte[]? expectedCurrent)
    {
        var bytes = Serialize(root);
        KeyFileParser.Parse(bytes, path);
        if (expectedCurrent is not null && !File.ReadAllBytes(path).AsSpan().SequenceEqual(expectedCurrent))
        {
            throw new KeyFileException($"Keys file '{path}' was changed by something else while this command ran; nothing was written. Run the command again.");
        }

        WriteAtomically(path, bytes);
    }

    private static byte[] Serialize(JsonNode root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            root.WriteTo(writer);
        }

        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
