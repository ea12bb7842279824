using System.Globalization;

namespace OllamaGateway.Errors;

/// <summary>
/// Cuts a client's value before an error message quotes it. An error repeats what it refuses (a model name, a key,
/// a path) so the client can see its mistake, but never in full: a refusal of an 8 MB model name must not be a 24 MB
/// answer (each character JSON-escaped) or hold that memory while it is written.
/// </summary>
internal static class ClientText
{
    /// <summary>How many characters of a client's value an error quotes.</summary>
    public const int MaxQuotedLength = 100;

    /// <summary><paramref name="value"/> itself when short, else its first characters and how long it was.</summary>
    public static string Quote(string? value)
    {
        if (value is null || value.Length <= MaxQuotedLength)
        {
            return value ?? string.Empty;
        }

        // Never split a surrogate pair: half a character is not valid UTF-16 and cannot be written as JSON text.
        var cut = char.IsHighSurrogate(value[MaxQuotedLength - 1]) ? MaxQuotedLength - 1 : MaxQuotedLength;
        return string.Create(CultureInfo.InvariantCulture, $"{value.AsSpan(0, cut)}… (cut; {value.Length} characters)");
    }
}
