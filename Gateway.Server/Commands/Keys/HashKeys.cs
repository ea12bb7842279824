using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary><c>keys hash</c>: replaces every key stored in plain text with its SHA-256 hash.</summary>
internal static class HashKeys
{
    public static int Run(string path, CommandContext context)
    {
        var output = context.Output;
        var editor = KeyFileEditor.Open(path);
        var conversions = editor.HashPlainKeys();
        if (conversions.Count == 0)
        {
            output.WriteLine($"No keys are stored in plain text in {path}; nothing to do.");
            return 0;
        }

        editor.Save();
        output.WriteLine(conversions.Count == 1
            ? $"Replaced 1 plain-text key with its hash in {path}."
            : $"Replaced {conversions.Count} plain-text keys with their hashes in {path}.");
        foreach (var renamed in conversions.Where(c => c.OldName != c.NewName))
        {
            output.WriteLine($"  {renamed.OldName} is now named '{renamed.NewName}'.");
        }

        output.WriteLine("The keys still work, but the file no longer holds them: whoever uses a key must keep their copy.");
        KeysFileAction.NoteDroppedComments(editor, output);
        return 0;
    }
}
