using OllamaGateway.Auth;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// What every <c>keys</c> command does around its own work: finds the file, and turns the failures a user can fix
/// into one line and exit code 1 (a broken configuration, a missing, invalid or unwritable file).
/// </summary>
internal static class KeysFileAction
{
    /// <summary>
    /// Runs <paramref name="action"/> on the keys file's full path. Unless <paramref name="mayCreate"/>, a file
    /// that does not exist is an error rather than an empty set of keys.
    /// </summary>
    public static int Run(string? file, CommandContext context, bool mayCreate, Func<string, int> action)
    {
        string path;
        try
        {
            path = KeysFileLocator.Locate(file, context);
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or FormatException or IOException)
        {
            context.Error.WriteLine($"Configuration error: {ex.Message}");
            return 1;
        }

        try
        {
            if (!mayCreate && !File.Exists(path))
            {
                context.Error.WriteLine($"Keys file '{path}' does not exist. 'keys create --name NAME' makes it with a first key.");
                return 1;
            }

            return action(path);
        }
        catch (KeyFileException ex)
        {
            context.Error.WriteLine(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"Cannot read or write the keys file '{path}': {ex.Message}");
            return 1;
        }
    }

    /// <summary>A rewrite drops comments; whoever wrote them is told.</summary>
    public static void NoteDroppedComments(KeyFileEditor editor, TextWriter output)
    {
        if (editor.HadComments)
        {
            output.WriteLine($"Note: the comments in {editor.Path} were not kept (the file is rewritten from its parsed content).");
        }
    }
}
