using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using OllamaGateway.Json;

namespace OllamaGateway.Validation;

/// <summary>
/// The guard's generic copy of a JSON value: token by token from the reader to the writer, with duplicate and
/// case-variant keys refused and depth limited at every level. Numbers are copied as their raw text (no float rounding
/// of big integers); strings are unescaped and escaped again. The specialised rewriters (<see cref="OptionsRewriter"/>,
/// <see cref="KeepAliveRewriter"/>, <see cref="MessagesRewriter"/>) fall back to it for values they do not change.
/// </summary>
internal sealed class JsonCopier(Utf8JsonWriter writer)
{
    /// <summary>Writes the value of <paramref name="key"/> (the reader is on it); <paramref name="path"/> names it in errors.</summary>
    public delegate GuardError? ValueWriter(ref Utf8JsonReader reader, string key, string path);

    /// <summary>The writer of the rewritten body.</summary>
    public Utf8JsonWriter Writer { get; } = writer;

    // Any other value: copied token by token, with duplicate keys refused and depth limited at every level.
    public GuardError? CopyValue(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return CopyObject(ref reader, path);
            case JsonTokenType.StartArray:
                return CopyArray(ref reader, path);
            case JsonTokenType.String:
                WriteString(ref reader);
                return null;
            case JsonTokenType.Number:
                WriteNumber(Writer, ref reader);
                return null;
            case JsonTokenType.True:
            case JsonTokenType.False:
                Writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                return null;
            case JsonTokenType.Null:
                Writer.WriteNullValue();
                return null;
            default:
                // Stryker disable once all : a reader over a whole JSON value gives no other token in value position
                throw new UnreachableException($"Unexpected token {reader.TokenType} at {path}.");
        }
    }

    /// <summary>
    /// Copies the object the reader is on, refusing repeated and case-variant keys (<paramref name="known"/> is the
    /// object's known fields, or null for a free-form object). Each value is written by <paramref name="writeValue"/>,
    /// or copied as it is when that is null.
    /// </summary>
    public GuardError? CopyObject(ref Utf8JsonReader reader, string path, FieldSet? known = null, ValueWriter? writeValue = null)
    {
        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        var keys = new JsonKeyTracker(known);
        Writer.WriteStartObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var keyPath = path + "." + key;
            var error = GuardErrors.ForKey(keys.Add(key), keyPath);
            if (error is not null)
            {
                return error;
            }

            reader.Read();
            Writer.WritePropertyName(key);
            error = writeValue is null ? CopyValue(ref reader, keyPath) : writeValue(ref reader, key, keyPath);
            if (error is not null)
            {
                return error;
            }
        }

        Writer.WriteEndObject();
        return null;
    }

    private GuardError? CopyArray(ref Utf8JsonReader reader, string path)
    {
        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        Writer.WriteStartArray();
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            // Paths are only built for containers; a long array of numbers costs no strings. (A scalar never fails, so
            // building its path too would be an equivalent mutant.)
            // Stryker disable once all : see above
            var error = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                ? CopyValue(ref reader, $"{path}[{i}]")
                : CopyValue(ref reader, path);
            if (error is not null)
            {
                return error;
            }
        }

        Writer.WriteEndArray();
        return null;
    }

    // Called on a StartObject/StartArray token: CurrentDepth counts the containers around it.
    public static GuardError? CheckDepth(ref Utf8JsonReader reader) =>
        reader.CurrentDepth + 1 > RequestRewriter.MaxDepth ? GuardErrors.TooDeep(RequestRewriter.MaxDepth) : null;

    // Go reads JSON numbers into float64 and fails on ones it cannot hold (1e400); so does the guard.
    public static GuardError? ReadFinite(ref Utf8JsonReader reader, string path, out double value)
    {
        if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
        {
            return GuardErrors.InvalidValue(path, "the number is out of range.");
        }

        return null;
    }

    /// <summary>Writes the number the reader is on exactly as the client wrote it.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, ref Utf8JsonReader reader) =>
        // Stryker disable once all : the reader has validated the number; validating it again only costs time
        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);

    public void WriteString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // Already validated UTF-8 without escapes: the writer escapes only what JSON requires.
            Writer.WriteStringValue(reader.ValueSpan);
            return;
        }

        // Unescaped text is never longer than its escaped form.
        var buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(buffer);
            Writer.WriteStringValue(buffer.AsSpan(0, length));
        }
        finally
        {
            // Stryker disable once all : not returning a rented buffer only costs the pool one array
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
