using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary><c>keys revoke NAME</c>: removes the key's entry; a running gateway refuses the key within seconds.</summary>
internal static class RevokeKey
{
    public static int Run(string name, string path, CommandContext context)
    {
        var output = context.Output;
        var editor = KeyFileEditor.Open(path);
        var index = editor.IndexOf(name);
        if (index < 0)
        {
            context.Error.WriteLine($"No key named '{name}' in {path}. 'keys list' shows the names.");
            return 1;
        }

        var keys = editor.Keys.Keys;
        editor.RemoveAt(index);
        editor.Save();
        output.WriteLine($"Revoked key '{keys[index].Name}': removed from {path}. A running gateway refuses it within a few seconds.");

        // Bare strings are named by position, so the ones after the removed entry have just been renumbered.
        if (keys.Skip(index + 1).Any(k => k.Name.StartsWith("keys[", StringComparison.Ordinal)))
        {
            output.WriteLine("Keys stored as bare strings after it now have their new positions as names (keys[N] became keys[N-1]); 'keys hash' gives them lasting names.");
        }

        if (keys.Count == 1)
        {
            output.WriteLine("The file now holds no keys: the gateway refuses every request until one is added.");
        }

        KeysFileAction.NoteDroppedComments(editor, output);
        return 0;
    }
}
