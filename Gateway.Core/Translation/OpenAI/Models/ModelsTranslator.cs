using System.Buffers;
using System.Text.Json;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Policy;

namespace OllamaGateway.Translation.OpenAI.Models;

/// <summary>
/// Answers <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> from Ollama's <c>GET /api/tags</c> (wire reference
/// §2.7, §3.8). Retrieval reads the list rather than calling <c>/api/show</c> as Ollama ref does: the list already
/// has every field OpenAI's Model object shows, and one upstream call serves both routes.
/// </summary>
internal static class ModelsTranslator
{
    private static readonly JsonEncodedText s_object = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText s_list = JsonEncodedText.Encode("list");
    private static readonly JsonEncodedText s_data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText s_created = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText s_ownedBy = JsonEncodedText.Encode("owned_by");

    /// <summary>
    /// <c>{"object":"list","data":[{"id","object":"model","created","owned_by"},...]}</c>, in <c>/api/tags</c> order.
    /// </summary>
    /// <param name="tagsJson">Ollama's 200 body of <c>GET /api/tags</c>.</param>
    /// <param name="filter">
    /// Called with each model's id (its <c>model</c> field, else <c>name</c>, such as <c>llama3.2:latest</c>);
    /// models it refuses are left out. <see langword="null"/> shows all. Compare with <see cref="ModelName.SameModel"/>.
    /// </param>
    /// <exception cref="JsonException">The body is not the shape <c>/api/tags</c> answers with; the caller answers 502.</exception>
    public static byte[] TranslateList(ReadOnlySpan<byte> tagsJson, Func<string, bool>? filter = null)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(256, tagsJson.Length / 2));
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString(s_object, s_list);

            // Ollama ref writes "data": null when nothing is installed; SDKs iterate data, so always an array
            // (pitfall 19).
            writer.WriteStartArray(s_data);
            var tags = new TagsReader(tagsJson);
            while (tags.TryReadNext(out var entry))
            {
                if (filter is null || filter(entry.Id))
                {
                    WriteModel(writer, entry.Id, entry);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// One Model object for <paramref name="requestedId"/>, or <see langword="null"/> when no installed model matches
    /// or <paramref name="filter"/> hides the one that does (the caller answers 404 either way, so a hidden model's
    /// existence does not leak). Names match as Ollama matches them: <c>x</c> is <c>x:latest</c>, case-insensitively.
    /// </summary>
    /// <param name="tagsJson">Ollama's 200 body of <c>GET /api/tags</c>.</param>
    /// <param name="requestedId">
    /// The id from the path, already URL-decoded; it may contain <c>/</c> and <c>:</c> (<c>hf.co/org/repo:Q4_K_M</c>).
    /// The answer's <c>id</c> is this string exactly as requested, not the installed name (Ollama ref, §3.8).
    /// </param>
    /// <param name="filter">Called with the matching model's id as in <see cref="TranslateList"/>.</param>
    /// <exception cref="JsonException">The body is not the shape <c>/api/tags</c> answers with; the caller answers 502.</exception>
    public static byte[]? TranslateOne(ReadOnlySpan<byte> tagsJson, string requestedId, Func<string, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(requestedId);

        var tags = new TagsReader(tagsJson);
        while (tags.TryReadNext(out var entry))
        {
            var matches = ModelName.SameModel(requestedId, entry.Id)
                || (entry.Name is not null && ModelName.SameModel(requestedId, entry.Name));
            if (!matches || (filter is not null && !filter(entry.Id)))
            {
                continue;
            }

            var output = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(output))
            {
                WriteModel(writer, requestedId, entry);
            }

            return output.WrittenSpan.ToArray();
        }

        return null;
    }

    private static void WriteModel(Utf8JsonWriter writer, string id, TagsEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString(s_id, id);
        writer.WriteString(s_object, s_model);
        writer.WriteNumber(s_created, entry.Created);

        // owned_by is the namespace of the installed name, so the list and the single answer agree on it
        // even when the request spelled the namespace in another case.
        writer.WriteString(s_ownedBy, ModelName.Namespace(entry.Id));
        writer.WriteEndObject();
    }
}
