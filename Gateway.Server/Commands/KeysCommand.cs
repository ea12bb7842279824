using System.CommandLine;
using OllamaGateway.Server.Commands.Keys;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>keys create|list|revoke|hash</c>: manages keys.json so nobody has to edit JSON or handle hashes by hand.
/// A new key is printed once and only its hash is stored. Every write is checked by the same parser the gateway
/// uses, made atomically and owner-only, and keeps everything it did not change; a running gateway picks the
/// change up by itself. The commands read the server's configuration to find the file, so they take its
/// <c>--Gateway:KeysFile=PATH</c> setting. Exit codes: 0 done, 1 the file is missing, invalid or unwritable or the
/// name is wrong, 2 bad arguments.
/// </summary>
internal static class KeysCommand
{
    public const string Name = "keys";

    /// <summary>Runs <c>keys</c> with these arguments (those after the word <c>keys</c>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider timeProvider, string contentRoot) =>
        CommandLine.Run([Name, .. args], new CommandContext(output, error, timeProvider, contentRoot));

    public static Command Create(CommandContext context)
    {
        var options = new KeysOptions(context.Time);

        var create = new ConfiguredCommand("create", "Make a key, store only its hash and print the key once.")
        {
            options.Name, options.Models, options.Admin, options.Metrics, options.Expires,
            options.RequestsPerMinute, options.ConcurrentRequests, options.TokensPerMinute, options.TokensPerDay, options.File,
        };
        create.SetAction(result => KeysFileAction.Run(result.GetValue(options.File), context, mayCreate: true,
            path => CreateKey.Run(result, options, path, context)));

        var list = new ConfiguredCommand("list", "Show names, rights and key prefixes; never a key or a hash.") { options.File };
        list.SetAction(result => KeysFileAction.Run(result.GetValue(options.File), context, mayCreate: false,
            path => ListKeys.Run(path, context)));

        var revoke = new ConfiguredCommand("revoke", "Remove the key named NAME.") { options.RevokedName, options.File };
        revoke.SetAction(result => KeysFileAction.Run(result.GetValue(options.File), context, mayCreate: false,
            path => RevokeKey.Run(result.GetRequiredValue(options.RevokedName), path, context)));

        // Its own message when NAME is missing: System.CommandLine's would name the argument, not the task.
        revoke.Validators.Add(result =>
        {
            if (result.GetResult(options.RevokedName) is null)
            {
                result.AddError("Name the key to revoke: keys revoke NAME.");
            }
        });

        var hash = new ConfiguredCommand("hash", "Replace every key stored in plain text with its SHA-256 hash.") { options.File };
        hash.SetAction(result => KeysFileAction.Run(result.GetValue(options.File), context, mayCreate: false,
            path => HashKeys.Run(path, context)));

        return new Command(Name,
            "Manage the API keys in the keys file. A running gateway applies changes within a few seconds. "
            + "Comments in the file are not kept by a change.")
        {
            create, list, revoke, hash, HelpCommand.Create(),
        };
    }
}
