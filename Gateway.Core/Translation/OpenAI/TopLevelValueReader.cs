using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// Reads the value of one top-level request key into <paramref name="draft"/>; the reader is on the value. A delegate
/// (not an interface) because <see cref="Utf8JsonReader"/> is a ref struct passed by reference.
/// </summary>
/// <returns>The 400 to answer, or null.</returns>
internal delegate TranslationError? TopLevelValueReader<in TDraft>(ref Utf8JsonReader reader, string name, TDraft draft);
