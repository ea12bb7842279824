using System.Globalization;
using OllamaGateway.Auth;
using OllamaGateway.Policy;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// Reads <c>keys</c> arguments in the style of <c>cert create</c>: <c>--option value</c> or <c>--option=value</c>.
/// Every value is checked here, so a command never touches the file because of a typo; a problem throws
/// <see cref="KeysUsageException"/>. Options whose name has a ':' are configuration settings
/// (<c>--Gateway:KeysFile=PATH</c>) and are passed on, as the server passes them to its configuration.
/// </summary>
internal static class KeysArgumentParser
{
    /// <summary>Longest relative expiry accepted: a hundred years is "never", which is what leaving it out means.</summary>
    private const int MaxExpiryDays = 36_500;

    private static readonly string[] s_commands = ["create", "list", "revoke", "hash"];

    public static KeysArguments Parse(string[] args, DateTimeOffset now)
    {
        if (!s_commands.Contains(args[0], StringComparer.Ordinal))
        {
            throw new KeysUsageException($"Unknown keys command '{args[0]}'.");
        }

        var result = new KeysArguments(args[0]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith('-'))
            {
                if (result.Command != "revoke" || result.Name is not null)
                {
                    throw new KeysUsageException($"Unexpected argument '{argument}'.");
                }

                result.Name = argument;
                continue;
            }

            var (name, inlineValue) = SplitOption(argument);
            if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal))
            {
                result.ConfigurationArguments.Add($"{name}={inlineValue ?? TakeValue(args, ref i, name)}");
                continue;
            }

            if (!AllowedFor(result.Command, name))
            {
                throw new KeysUsageException(IsKnown(name)
                    ? $"Option '{name}' does not apply to 'keys {result.Command}'."
                    : $"Unknown option '{argument}'.");
            }

            if (name == "--admin")
            {
                if (inlineValue is not null)
                {
                    throw new KeysUsageException("--admin takes no value.");
                }

                result.Admin = true;
                continue;
            }

            var value = inlineValue ?? TakeValue(args, ref i, name);
            if (value.Length == 0)
            {
                throw new KeysUsageException($"{name} needs a value.");
            }

            if (name != "--models" && !seen.Add(name))
            {
                throw new KeysUsageException($"{name} is given twice.");
            }

            switch (name)
            {
                case "--name":
                    result.Name = value;
                    break;
                case "--models":
                    AddModels(result.Models, value);
                    break;
                case "--expires":
                    result.Expires = ParseExpiry(value, now);
                    break;
                case "--rpm":
                    result.RequestsPerMinute = PositiveNumber(name, value);
                    break;
                case "--concurrency":
                    result.ConcurrentRequests = PositiveNumber(name, value);
                    break;
                case "--file":
                    result.File = value;
                    break;
            }
        }

        if (result.Command is "create" or "revoke")
        {
            if (result.Name is null)
            {
                throw new KeysUsageException(result.Command == "create" ? "--name is required." : "Name the key to revoke: keys revoke NAME.");
            }

            if (!KeyFileEditor.IsValidName(result.Name) && !(result.Command == "revoke" && IsPositionName(result.Name)))
            {
                throw new KeysUsageException($"'{result.Name}' is not a valid key name: use 1 to 64 letters, digits, '.', '_' or '-'.");
            }
        }

        // "*" alone would only match models in Ollama's default namespace; whoever writes it means every model, which
        // is the default. The default leaves out Ollama's cloud models, so patterns naming those are kept, beside a
        // pattern for every local model.
        if (result.Models.Contains("*"))
        {
            var cloud = result.Models.Where(ModelAccess.NamesCloudModels).ToList();
            result.Models.Clear();
            if (cloud.Count > 0)
            {
                result.Models.Add(ModelAccess.EveryLocalModel);
                result.Models.AddRange(cloud);
            }
        }

        return result;
    }

    private static bool AllowedFor(string command, string option) => option == "--file"
        || (command == "create" && option is "--name" or "--models" or "--admin" or "--expires" or "--rpm" or "--concurrency");

    private static bool IsKnown(string option) => AllowedFor("create", option);

    // Bare-string entries are named by position, keys[0]; revoke accepts that name too.
    private static bool IsPositionName(string name) =>
        name.StartsWith("keys[", StringComparison.OrdinalIgnoreCase) && name.EndsWith(']')
        && int.TryParse(name.AsSpan(5, name.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static string TakeValue(string[] args, ref int i, string name)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new KeysUsageException($"{name} needs a value.");
        }

        return args[++i];
    }

    private static void AddModels(List<string> models, string value)
    {
        foreach (var item in value.Split(','))
        {
            var pattern = item.Trim();
            if (!ModelAccess.IsValidPattern(pattern))
            {
                throw new KeysUsageException(
                    $"--models: '{pattern}' is not a model name or pattern (letters, digits, '.', '-', '_', ':', '/', '*', '?'; such as llama3.2* or qwen3:*).");
            }

            if (!models.Contains(pattern, StringComparer.OrdinalIgnoreCase))
            {
                models.Add(pattern);
            }
        }
    }

    private static DateTimeOffset ParseExpiry(string value, DateTimeOffset now)
    {
        DateTimeOffset expires;
        if (value.EndsWith('d') && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            if (days is < 1 or > MaxExpiryDays)
            {
                throw new KeysUsageException($"--expires: the number of days must be from 1 to {MaxExpiryDays} (got '{value}').");
            }

            expires = now.AddDays(days);
        }
        else if (value.Length < 11 || !(value.EndsWith('Z') || value[^6] is '+' or '-')
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out expires))
        {
            // The same rule as the keys file: a time without a zone would depend on the server's clock settings.
            throw new KeysUsageException(
                $"--expires must be an ISO 8601 time with a zone, such as 2027-06-30T00:00:00Z, or a number of days, such as 30d (got '{value}').");
        }

        if (expires <= now)
        {
            throw new KeysUsageException($"--expires is in the past ({NewKeyEntry.FormatExpiry(expires)}); a key that is already expired is of no use.");
        }

        return expires;
    }

    private static int PositiveNumber(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new KeysUsageException($"{name} must be a whole number of at least 1 (got '{value}').");

    private static (string Name, string? Value) SplitOption(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }
}
