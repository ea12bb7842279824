using System.CommandLine.Parsing;
using System.Globalization;
using OllamaGateway.Policy;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// Reads and checks the <c>keys</c> commands' values as System.CommandLine parses them, so a command never touches
/// the file because of a typo. A bad value is reported on the result in the words the commands have always used.
/// </summary>
internal static class KeyValueParsers
{
    /// <summary>Longest relative expiry accepted: a hundred years is "never", which is what leaving it out means.</summary>
    private const int MaxExpiryDays = 36_500;

    /// <summary><c>--name</c>: the rule the keys file's parser applies to names.</summary>
    public static string? NewName(ArgumentResult result) => Name(result, allowPosition: false);

    /// <summary>
    /// <c>revoke NAME</c>: a name, or the position name a bare key string has in the file (<c>keys[0]</c>), which
    /// only revoke can use, since a new key always gets a real name.
    /// </summary>
    public static string? ExistingName(ArgumentResult result) => Name(result, allowPosition: true);

    /// <summary>
    /// <c>--models</c>, comma-separated and repeatable: every pattern checked, duplicates (ignoring case) dropped.
    /// </summary>
    public static List<string> Models(ArgumentResult result)
    {
        var models = new List<string>();
        foreach (var item in result.Tokens.SelectMany(token => token.Value.Split(',')))
        {
            var pattern = item.Trim();
            if (!ModelAccess.IsValidPattern(pattern))
            {
                result.AddError(
                    $"--models: '{pattern}' is not a model name or pattern (letters, digits, '.', '-', '_', ':', '/', '*', '?'; such as llama3.2* or qwen3:*).");
                return [];
            }

            if (!models.Contains(pattern, StringComparer.OrdinalIgnoreCase))
            {
                models.Add(pattern);
            }
        }

        // "*" alone would only match models in Ollama's default namespace; whoever writes it means every model, which
        // is the default (an empty list). The default leaves out Ollama's cloud models, so patterns naming those are
        // kept, beside a pattern for every local model.
        if (models.Contains("*"))
        {
            var cloud = models.Where(ModelAccess.NamesCloudModels).ToList();
            models.Clear();
            if (cloud.Count > 0)
            {
                models.Add(ModelAccess.EveryLocalModel);
                models.AddRange(cloud);
            }
        }

        return models;
    }

    /// <summary><c>--expires</c>: a time with a zone, or a number of days from <paramref name="now"/> (<c>30d</c>).</summary>
    public static DateTimeOffset? Expiry(ArgumentResult result, DateTimeOffset now)
    {
        var value = result.Tokens[0].Value;
        DateTimeOffset expires;
        if (value.EndsWith('d') && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            if (days is < 1 or > MaxExpiryDays)
            {
                result.AddError($"--expires: the number of days must be from 1 to {MaxExpiryDays} (got '{value}').");
                return null;
            }

            expires = now.AddDays(days);
        }
        else if (value.Length < 11 || !(value.EndsWith('Z') || value[^6] is '+' or '-')
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out expires))
        {
            // The same rule as the keys file: a time without a zone would depend on the server's clock settings.
            result.AddError(
                $"--expires must be an ISO 8601 time with a zone, such as 2027-06-30T00:00:00Z, or a number of days, such as 30d (got '{value}').");
            return null;
        }

        if (expires <= now)
        {
            result.AddError($"--expires is in the past ({NewKeyEntry.FormatExpiry(expires)}); a key that is already expired is of no use.");
            return null;
        }

        return expires;
    }

    private static string? Name(ArgumentResult result, bool allowPosition)
    {
        var name = result.Tokens[0].Value;
        if (allowPosition && name.StartsWith('-') && result.Parent is CommandResult command)
        {
            // System.CommandLine hands a positional argument any token it does not know, options included; here, as
            // the command always read it, a word starting with '-' is an option, never a key's name.
            result.AddError(CommandLineProblems.UnknownOption(name, command));
            return null;
        }

        if (KeyFileEditor.IsValidName(name) || (allowPosition && IsPositionName(name)))
        {
            return name;
        }

        result.AddError($"'{name}' is not a valid key name: use 1 to 64 letters, digits, '.', '_' or '-'.");
        return null;
    }

    // Bare-string entries are named by position, keys[0].
    private static bool IsPositionName(string name) =>
        name.StartsWith("keys[", StringComparison.OrdinalIgnoreCase) && name.EndsWith(']')
        && int.TryParse(name.AsSpan(5, name.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
