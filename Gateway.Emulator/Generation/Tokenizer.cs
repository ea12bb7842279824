namespace OllamaGateway.Emulator.Generation;

/// <summary>Splits text into "tokens" at word starts, keeping the leading whitespace: <c>"Hello", " from", ...</c>.</summary>
internal static class Tokenizer
{
    public static List<string> Split(string text)
    {
        List<string> tokens = [];
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                tokens.Add(text[start..i]);
                start = i;
            }
        }

        if (start < text.Length)
        {
            tokens.Add(text[start..]);
        }

        return tokens;
    }

    /// <summary>Exactly <paramref name="count"/> tokens cycling through the words of <paramref name="text"/>.</summary>
    public static List<string> Cycle(string text, int count)
    {
        var words = Split(text).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
        if (words.Count == 0)
        {
            words.Add("token");
        }

        var tokens = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            tokens.Add(i == 0 ? words[0] : " " + words[i % words.Count]);
        }

        return tokens;
    }
}
