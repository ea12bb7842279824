using OllamaGateway.Auth;
using OllamaGateway.Policy;
using OllamaGateway.Server.Commands.Keys;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>keys create|list|revoke|hash</c>: manages keys.json so nobody has to edit JSON or handle hashes by hand.
/// A new key is printed once and only its hash is stored. Every write is checked by the same parser the gateway
/// uses, made atomically and owner-only, and keeps everything it did not change; a running gateway picks the
/// change up by itself. Exit codes: 0 done, 1 the file is missing, invalid or unwritable or the name is wrong,
/// 2 bad arguments.
/// </summary>
internal static class KeysCommand
{
    public const string Usage = """
        Usage: Gateway.Server keys create --name NAME [--models PATTERN[,PATTERN...]]... [--admin]
                                          [--expires TIME|Nd] [--rpm N] [--concurrency N] [--file PATH]
               Gateway.Server keys list [--file PATH]
               Gateway.Server keys revoke NAME [--file PATH]
               Gateway.Server keys hash [--file PATH]

          create   Makes a key, stores only its hash and prints the key once.
            --name NAME        1 to 64 letters, digits, '.', '_' or '-', not yet used (ignoring case).
            --models PATTERNS  Models the key may use: names or patterns such as llama3.2* or qwen3:*,
                               comma-separated or repeated. Default: every model except Ollama's cloud
                               models, which only patterns naming them allow (gpt-oss:120b-cloud, *-cloud).
            --admin            Allow model management (pull, push, create, copy, delete).
            --expires WHEN     A time with a zone, such as 2027-06-30T00:00:00Z, or days from now, such as 30d.
            --rpm N            At most N requests per minute.
            --concurrency N    At most N requests at a time.
          list     Shows names, rights and key prefixes; never a key or a hash.
          revoke   Removes the key named NAME. A bare key string is named by its position: 'keys[0]' (quoted).
          hash     Replaces every key stored in plain text with its SHA-256 hash.

          --file PATH  The keys file. Default: the server's Gateway:KeysFile (appsettings.json, Gateway__KeysFile,
                       --Gateway:KeysFile=PATH), relative to the current directory; keys.json if unset.
        A running gateway applies changes within a few seconds. Comments in the file are not kept by a change.
        """;

    public static int Run(string[] args) =>
        Run(args, Console.Out, Console.Error, TimeProvider.System, Directory.GetCurrentDirectory());

    internal static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider timeProvider, string contentRoot)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var now = timeProvider.GetUtcNow();
        KeysArguments arguments;
        try
        {
            arguments = KeysArgumentParser.Parse(args, now);
        }
        catch (KeysUsageException ex)
        {
            error.WriteLine(ex.Message);
            error.WriteLine(Usage);
            return 2;
        }

        string path;
        try
        {
            path = KeysFileLocator.Locate(arguments, contentRoot);
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or FormatException or IOException)
        {
            error.WriteLine($"Configuration error: {ex.Message}");
            return 1;
        }

        try
        {
            if (arguments.Command != "create" && !File.Exists(path))
            {
                error.WriteLine($"Keys file '{path}' does not exist. 'keys create --name NAME' makes it with a first key.");
                return 1;
            }

            return arguments.Command switch
            {
                "create" => Create(arguments, path, output, error),
                "list" => List(path, output, now),
                "revoke" => Revoke(arguments.Name!, path, output, error),
                _ => Hash(path, output),
            };
        }
        catch (KeyFileException ex)
        {
            error.WriteLine(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot read or write the keys file '{path}': {ex.Message}");
            return 1;
        }
    }

    private static int Create(KeysArguments arguments, string path, TextWriter output, TextWriter error)
    {
        var editor = KeyFileEditor.OpenOrNew(path);
        var name = arguments.Name!;
        if (editor.IndexOf(name) >= 0)
        {
            error.WriteLine($"A key named '{name}' already exists in '{path}'. Choose another name, or revoke that key first.");
            return 1;
        }

        var key = ApiKeyGenerator.Create();
        var limits = new KeyLimits(arguments.RequestsPerMinute, arguments.ConcurrentRequests);
        editor.Add(NewKeyEntry.ForKey(name, key) with
        {
            Models = arguments.Models,
            Admin = arguments.Admin,
            Expires = arguments.Expires,
            Limits = limits,
        });
        editor.Save();

        var rights = new ApiKey(name, KeyHash.Compute(key))
        {
            Models = arguments.Models.Count == 0 ? ModelAccess.All : ModelAccess.FromPatterns(arguments.Models),
            Admin = arguments.Admin,
            Expires = arguments.Expires,
            Limits = limits,
        };
        output.WriteLine($"""
            Created key '{name}' in {path} ({KeyTable.Describe(rights)}).
            The key (shown only this once; it is not stored, keep it secret):

                {key}

            Send it as 'Authorization: Bearer <key>'. A running gateway accepts it within a few seconds.
            """);
        NoteDroppedComments(editor, output);
        return 0;
    }

    private static int List(string path, TextWriter output, DateTimeOffset now)
    {
        var keys = KeyFileEditor.Open(path).Keys.Keys;
        if (keys.Count == 0)
        {
            output.WriteLine($"No keys in {path}: the gateway refuses every request. 'keys create --name NAME' adds one.");
            return 0;
        }

        output.WriteLine($"Keys in {path}:");
        output.WriteLine();
        KeyTable.Write(output, keys, now);
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

    private static int Revoke(string name, string path, TextWriter output, TextWriter error)
    {
        var editor = KeyFileEditor.Open(path);
        var index = editor.IndexOf(name);
        if (index < 0)
        {
            error.WriteLine($"No key named '{name}' in {path}. 'keys list' shows the names.");
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

        NoteDroppedComments(editor, output);
        return 0;
    }

    private static int Hash(string path, TextWriter output)
    {
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
        NoteDroppedComments(editor, output);
        return 0;
    }

    private static void NoteDroppedComments(KeyFileEditor editor, TextWriter output)
    {
        if (editor.HadComments)
        {
            output.WriteLine($"Note: the comments in {editor.Path} were not kept (the file is rewritten from its parsed content).");
        }
    }
}
