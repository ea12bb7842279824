using System.Globalization;
using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// Walks the models of a <c>GET /api/tags</c> answer, <c>{"models":[{name, model, modified_at, size, digest,
/// details, ...}]}</c> (wire reference §1.7), one at a time with <see cref="Utf8JsonReader"/>: a big model store
/// is never turned into an object graph, and fields OpenAI does not show (digest, details) are skipped unread.
/// </summary>
internal ref struct TagsReader
{
    private static ReadOnlySpan<byte> ModelsKey => "models"u8;
    private static ReadOnlySpan<byte> NameKey => "name"u8;
    private static ReadOnlySpan<byte> ModelKey => "model"u8;
    private static ReadOnlySpan<byte> ModifiedAtKey => "modified_at"u8;

    private Utf8JsonReader _reader;
    private bool _started;
    private bool _inModels;
    private bool _sawModels;

    /// <summary>Starts before the first model of <paramref name="tagsJson"/>.</summary>
    public TagsReader(ReadOnlySpan<byte> tagsJson)
    {
        _reader = new Utf8JsonReader(tagsJson);
    }

    /// <summary>
    /// Moves to the next model that has an id; false after the last one. An empty list may be <c>[]</c>,
    /// <c>null</c> or no <c>models</c> key at all (wire reference §1.7): all three simply yield nothing.
    /// </summary>
    /// <exception cref="JsonException">The body is not the shape <c>/api/tags</c> answers with.</exception>
    public bool TryReadNext(out TagsEntry entry)
    {
        if (!_started)
        {
            _started = true;
            Read();
            Expect(JsonTokenType.StartObject, "the answer is not a JSON object.");
        }

        while (true)
        {
            if (_inModels)
            {
                Read();
                if (_reader.TokenType == JsonTokenType.EndArray)
                {
                    _inModels = false;
                    continue;
                }

                Expect(JsonTokenType.StartObject, "an item of 'models' is not an object.");
                if (ReadEntry(out entry))
                {
                    return true;
                }

                continue;
            }

            Read();
            if (_reader.TokenType == JsonTokenType.EndObject)
            {
                entry = default;
                return false;
            }

            if (_reader.ValueTextEquals(ModelsKey))
            {
                if (_sawModels)
                {
                    throw Malformed("it has two 'models' keys.");
                }

                _sawModels = true;
                Read();
                if (_reader.TokenType == JsonTokenType.StartArray)
                {
                    _inModels = true;
                }
                else
                {
                    // Go marshals an empty nil slice as null.
                    Expect(JsonTokenType.Null, "'models' is not an array.");
                }
            }
            else
            {
                Read();
                _reader.Skip();
            }
        }
    }

    // Reads one model object; false when it has neither a model nor a name, since OpenAI's Model needs an id.
    private bool ReadEntry(out TagsEntry entry)
    {
        string? name = null;
        string? model = null;
        long created = 0;
        while (true)
        {
            Read();
            if (_reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (_reader.ValueTextEquals(NameKey))
            {
                Read();
                name = ReadOptionalString();
            }
            else if (_reader.ValueTextEquals(ModelKey))
            {
                Read();
                model = ReadOptionalString();
            }
            else if (_reader.ValueTextEquals(ModifiedAtKey))
            {
                Read();
                created = ToUnixSeconds(ReadOptionalString());
            }
            else
            {
                Read();
                _reader.Skip();
            }
        }

        var id = string.IsNullOrEmpty(model) ? name : model;
        entry = new TagsEntry(id ?? string.Empty, name, created);
        return !string.IsNullOrEmpty(id);
    }

    private string? ReadOptionalString()
    {
        if (_reader.TokenType == JsonTokenType.String)
        {
            return _reader.GetString();
        }

        // An unexpected type is treated as absent: one odd entry should not hide the whole model list.
        _reader.Skip();
        return null;
    }

    // modified_at is RFC 3339 with up to nine fractional digits and an offset, such as
    // "2024-05-01T10:11:12.123456789-07:00" (wire reference §1.1). Go's zero time (year 1) means "unknown" and
    // would be a large negative number, so anything before 1970 is reported as 0, like a missing value.
    private static long ToUnixSeconds(string? modifiedAt)
    {
        if (modifiedAt is null
            || !DateTimeOffset.TryParse(modifiedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return 0;
        }

        return Math.Max(0, time.ToUnixTimeSeconds());
    }

    private void Read()
    {
        if (!_reader.Read())
        {
            throw Malformed("it ends early.");
        }
    }

    private readonly void Expect(JsonTokenType expected, string problem)
    {
        if (_reader.TokenType != expected)
        {
            throw Malformed(problem);
        }
    }

    private static JsonException Malformed(string problem) => new("The /api/tags answer is malformed: " + problem);
}
