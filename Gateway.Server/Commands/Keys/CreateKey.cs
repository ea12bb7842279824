using System.CommandLine;
using OllamaGateway.Auth;
using OllamaGateway.Policy;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary><c>keys create</c>: makes a key, stores only its hash and prefix with its rights, and prints the key once.</summary>
internal static class CreateKey
{
    public static int Run(ParseResult result, KeysOptions options, string path, CommandContext context)
    {
        var editor = KeyFileEditor.OpenOrNew(path);
        var name = result.GetRequiredValue(options.Name);
        if (editor.IndexOf(name) >= 0)
        {
            context.Error.WriteLine($"A key named '{name}' already exists in '{path}'. Choose another name, or revoke that key first.");
            return 1;
        }

        var models = result.GetValue(options.Models) ?? [];
        var admin = result.GetValue(options.Admin);
        var metrics = result.GetValue(options.Metrics);
        var expires = result.GetValue(options.Expires);
        var limits = new KeyLimits(
            result.GetValue(options.RequestsPerMinute),
            result.GetValue(options.ConcurrentRequests),
            result.GetValue(options.TokensPerMinute),
            result.GetValue(options.TokensPerDay));

        var key = ApiKeyGenerator.Create();
        editor.Add(NewKeyEntry.ForKey(name, key) with
        {
            Models = models,
            Admin = admin,
            Metrics = metrics,
            Expires = expires,
            Limits = limits,
        });
        editor.Save();

        var rights = new ApiKey(name, KeyHash.Compute(key))
        {
            Models = models.Count == 0 ? ModelAccess.All : ModelAccess.FromPatterns(models),
            Admin = admin,
            Metrics = metrics,
            Expires = expires,
            Limits = limits,
        };
        context.Output.WriteLine($"""
            Created key '{name}' in {path} ({KeyTable.Describe(rights)}).
            The key (shown only this once; it is not stored, keep it secret):

                {key}

            Send it as 'Authorization: Bearer <key>'. A running gateway accepts it within a few seconds.
            """);
        KeysFileAction.NoteDroppedComments(editor, context.Output);
        return 0;
    }
}
