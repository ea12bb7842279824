namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// Ids in OpenAI's Responses style (reference §3): a prefix and 48 random hex digits for the response, 32 for items. Each
/// item keeps its id in the stream and in the final object. They label, grant nothing, and need only be unique.
/// </summary>
internal static class ResponsesIds
{
    private const string Hex = "0123456789abcdef";

    /// <summary>A response id, <c>resp_…</c>.</summary>
    public static string Response() => New("resp_", 48);

    /// <summary>An item id with the item type's prefix: <c>msg_</c>, <c>rs_</c>, <c>fc_</c>, <c>ctc_</c>.</summary>
    public static string Item(string prefix) => New(prefix, 32);

    /// <summary>A call id for a native call that came without one (Ollama before v0.12.10).</summary>
    public static string Call() => New("call_", 24);

    private static string New(string prefix, int length) =>
        string.Create(prefix.Length + length, prefix, static (id, prefix) =>
        {
            prefix.CopyTo(id);
            Random.Shared.GetItems(Hex, id[prefix.Length..]);
        });
}
