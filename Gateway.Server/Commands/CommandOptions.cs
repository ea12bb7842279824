using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// The two kinds of option the commands use, set up the same way everywhere. Each occurrence of an option takes
/// exactly one argument (<c>--models a --models b</c>, never <c>--models a b</c>), so a stray word stays an
/// unexpected argument, and the value is checked by a custom parser whose message names the option.
/// </summary>
internal static class CommandOptions
{
    /// <summary>An option that is there or not: <c>--admin</c>. A value (<c>--admin=yes</c>) is refused.</summary>
    public static Option<bool> Flag(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.Zero,
    };

    /// <summary>
    /// An option with a value, shown as <c>--name HELPNAME</c> in help. <paramref name="parse"/> reads the value
    /// (for a repeatable option, every occurrence's) and reports a bad one with <see cref="ArgumentResult.AddError"/>.
    /// An empty value (<c>--name ""</c>) counts as none and never reaches it, and so does an option: System.CommandLine
    /// gives an option that needs a value the next token even when that is an option, so <c>--name --admin</c> would
    /// name the key "--admin".
    /// </summary>
    public static Option<T> Valued<T>(string name, string helpName, string description, Func<ArgumentResult, T?> parse,
        bool required = false)
    {
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = helpName,
            Required = required,
            CustomParser = result =>
            {
                if (result.Tokens.Any(token => token.Value.Length == 0 || token.Value.StartsWith("--", StringComparison.Ordinal)))
                {
                    result.AddError(CommandLineProblems.NeedsValue(name));
                    return default;
                }

                return parse(result);
            },
        };

        // Arity catches an option given with no value only when no other occurrence brought one: the first of
        // "--models --models x" or "--name --name x" would otherwise pass unnoticed.
        option.Validators.Add(result =>
        {
            if (result.IdentifierTokenCount > result.Tokens.Count)
            {
                result.AddError(CommandLineProblems.NeedsValue(name));
            }
        });
        return option;
    }

    /// <summary>
    /// Reads a whole number from <paramref name="minimum"/> to <paramref name="maximum"/> written in plain digits
    /// (no sign, no separators), or reports "NAME must be a whole number ...".
    /// </summary>
    public static long? WholeNumber(ArgumentResult result, string name, long minimum, long maximum)
    {
        var value = result.Tokens[0].Value;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum)
        {
            return number;
        }

        var range = maximum is int.MaxValue or long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"of at least {minimum}")
            : string.Create(CultureInfo.InvariantCulture, $"from {minimum} to {maximum}");
        result.AddError($"{name} must be a whole number {range} (got '{value}').");
        return null;
    }
}
