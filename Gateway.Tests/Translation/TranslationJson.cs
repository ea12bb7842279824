using System.Text.Json;

namespace OllamaGateway.Tests.Translation;

/// <summary>Small JSON helpers shared by the translation tests.</summary>
internal static class TranslationJson
{
    /// <summary>Parses bytes into a detached root element.</summary>
    public static JsonElement Parse(byte[] json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>Whether the object has the property at all (null counts as present).</summary>
    public static bool Has(this JsonElement element, string name) => element.TryGetProperty(name, out _);

    /// <summary>The property names of an object, in order.</summary>
    public static string[] Names(this JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
