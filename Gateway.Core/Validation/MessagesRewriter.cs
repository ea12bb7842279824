using System.Text.Json;
using OllamaGateway.Json;

namespace OllamaGateway.Validation;

/// <summary>
/// Rewrites chat <c>messages</c> and the <c>images</c> of messages and of generate, counting images over the whole
/// request against <see cref="RequestRewriter.MaxImages"/>. One instance per body.
/// </summary>
internal sealed class MessagesRewriter
{
    private readonly JsonCopier _copier;
    private readonly JsonCopier.ValueWriter _writeMessageValue;
    private int _images;

    /// <summary>Creates the rewriter of one body, writing through <paramref name="copier"/>.</summary>
    public MessagesRewriter(JsonCopier copier)
    {
        _copier = copier;
        _writeMessageValue = WriteMessageValue;
    }

    public GuardError? WriteMessages(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // null and wrong types: Ollama decides (null is "load the model"; others are its 400).
            return _copier.CopyValue(ref reader, "messages");
        }

        // A top-level array sits far above RequestRewriter.MaxDepth: only what is inside it can nest too deep.
        _copier.Writer.WriteStartArray();
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            var path = $"messages[{i}]";
            var error = reader.TokenType == JsonTokenType.StartObject
                ? WriteMessage(ref reader, path)
                : _copier.CopyValue(ref reader, path);
            if (error is not null)
            {
                return error;
            }
        }

        _copier.Writer.WriteEndArray();
        return null;
    }

    // A message is any object whose images are counted and checked; everything else in it is copied.
    private GuardError? WriteMessage(ref Utf8JsonReader reader, string path) =>
        _copier.CopyObject(ref reader, path, OllamaFields.Message, _writeMessageValue);

    private GuardError? WriteMessageValue(ref Utf8JsonReader reader, string key, string path) =>
        key == "images" ? WriteImages(ref reader, path) : _copier.CopyValue(ref reader, path);

    public GuardError? WriteImages(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            _copier.Writer.WriteNullValue();
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return GuardErrors.InvalidType(path, "an array of base64 strings");
        }

        // At depth 3 at most (messages[i].images), and its items must be strings: it cannot nest too deep.
        _copier.Writer.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return GuardErrors.InvalidType(path, "an array of base64 strings");
            }

            if (++_images > RequestRewriter.MaxImages)
            {
                return GuardErrors.TooManyImages(RequestRewriter.MaxImages);
            }

            _copier.WriteString(ref reader);
        }

        _copier.Writer.WriteEndArray();
        return null;
    }

}
