using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary><c>keys list</c>: names, rights and key prefixes, never a key or a hash; the file is only read.</summary>
internal static class ListKeys
{
    public static int Run(string path, CommandContext context)
    {
        var output = context.Output;
        var keys = KeyFileEditor.Open(path).Keys.Keys;
        if (keys.Count == 0)
        {
            output.WriteLine($"No keys in {path}: the gateway refuses every request. 'keys create --name NAME' adds one.");
            return 0;
        }

        output.WriteLine($"Keys in {path}:");
        output.WriteLine();
        KeyTable.Write(output, keys, context.Time.GetUtcNow());
        var plain = keys.Count(k => k.IsPlainText);
        if (plain > 0)
        {
            output.WriteLine();
            output.WriteLine(plain == 1
                ? "1 key is stored in plain text: run 'keys hash' to store only its hash."
                : $"{plain} keys are stored in plain text: run 'keys hash' to store only their hashes.");
        }

        return 0;
    }
}
