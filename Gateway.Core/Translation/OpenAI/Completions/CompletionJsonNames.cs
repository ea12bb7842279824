using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI.Completions;

/// <summary>
/// The names that legacy completion objects add to the chat ones (<see cref="OpenAIJsonNames"/> supplies the shared
/// <c>id</c>, <c>choices</c>, <c>usage</c>...), pre-encoded once per process.
/// </summary>
internal static class CompletionJsonNames
{
    /// <summary><c>text</c>: the generated text of a choice.</summary>
    public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");

    /// <summary>Value <c>text_completion</c>, used for the whole reply and for every stream chunk alike.</summary>
    public static readonly JsonEncodedText TextCompletionObject = JsonEncodedText.Encode("text_completion");
}
