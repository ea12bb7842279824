namespace OllamaGateway.Translation.Ollama;

/// <summary>
/// The fields of one <c>/api/tags</c> model that OpenAI's Model object needs (wire reference §1.7, §3.8).
/// </summary>
/// <param name="Id">
/// <c>model</c>, falling back to <c>name</c> (Ollama ref since v0.30.7); both are usually the full name with its tag,
/// such as <c>llama3.2:latest</c>.
/// </param>
/// <param name="Name">The <c>name</c> field, or <see langword="null"/> when absent.</param>
/// <param name="Created"><c>modified_at</c> as Unix seconds; 0 when missing, unparseable or before 1970.</param>
internal readonly record struct TagsEntry(string Id, string? Name, long Created);
