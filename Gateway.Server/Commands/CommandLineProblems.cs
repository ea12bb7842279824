using System.CommandLine;
using System.CommandLine.Parsing;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// Says what is wrong with a command line, one sentence per problem, in the words the commands have always used.
/// System.CommandLine finds the problems: arity, required options, the custom parsers' and validators' errors
/// (already in our words), and the tokens it could not place. Where its own wording differs, the problem is
/// recognised by the state of the parse result, never by its text:
/// <list type="bullet">
/// <item>a required option that is missing: "--name is required.";</item>
/// <item>an option with fewer values than its arity: "--name needs a value.";</item>
/// <item>a single-valued option given again: "--name is given twice.";</item>
/// <item>a command group without its command: "'keys' needs a command: create, list, revoke or hash.";</item>
/// <item>unplaced tokens, which System.CommandLine leaves unreported because the root passes them to the server
/// (<see cref="Command.TreatUnmatchedTokensAsErrors"/> is false there, which silences every command):
/// "Unknown command 'x'.", "Unknown keys command 'x'.", "Option '--admin' does not apply to 'keys list'.",
/// "--admin takes no value.", "--Gateway:KeysFile needs a value.", "Unknown option '-n'.", "Unexpected argument 'x'.";</item>
/// <item>server settings given to a command that does not read the configuration: "Unknown option '--Gateway:X=1'.".</item>
/// </list>
/// </summary>
internal static class CommandLineProblems
{
    public static string NeedsValue(string option) => $"{option} needs a value.";

    public static IReadOnlyList<string> Find(ParseResult result, CommandContext context)
    {
        var command = result.CommandResult;
        var problems = new List<string>();
        var unknownSubcommand = IsGroup(command.Command) && result.UnmatchedTokens.Any(token => !token.StartsWith('-'));
        foreach (var error in result.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult option:
                    problems.Add(DescribeOption(option, error));
                    break;
                case CommandResult group when group.Command == command.Command && IsGroup(group.Command):
                    // An unknown command word says more than "a command is missing".
                    if (!unknownSubcommand)
                    {
                        problems.Add($"'{PathOf(command)}' needs a command: {ListOf(group.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.");
                    }

                    break;
                default:
                    problems.Add(error.Message);
                    break;
            }
        }

        if (command.Command is RootCommand)
        {
            // The root runs serve and passes what it does not know to the server; only a first word that is not
            // an option is refused, since it can only be a mistyped command.
            if (result.Tokens is [{ Type: TokenType.Argument } first, ..] && !first.Value.StartsWith('-'))
            {
                problems.Add($"Unknown command '{first.Value}'.");
            }
        }
        else if (command.Command.TreatUnmatchedTokensAsErrors)
        {
            var afterFlags = ArgumentsAfterFlags(result, command);
            foreach (var token in result.UnmatchedTokens)
            {
                problems.Add(DescribeUnmatched(token, command, afterFlags));
            }
        }

        if (command.Command is not (ConfiguredCommand or RootCommand))
        {
            problems.AddRange(context.ServerSettings.Select(setting => $"Unknown option '{setting.Argument}'."));
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The command's words after the program's name, such as <c>keys list</c>.</summary>
    public static string PathOf(CommandResult command)
    {
        var names = new Stack<string>();
        for (var current = command; current is not null && current.Command is not RootCommand; current = current.Parent as CommandResult)
        {
            names.Push(current.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static string DescribeOption(OptionResult option, ParseError error)
    {
        var name = option.Option.Name;
        if (option.IdentifierTokenCount == 0)
        {
            return $"{name} is required.";
        }

        if (option.Tokens.Count < option.Option.Arity.MinimumNumberOfValues)
        {
            return NeedsValue(name);
        }

        // Each occurrence takes one value, so more values than the arity allows means the option came again.
        return option.Tokens.Count > option.Option.Arity.MaximumNumberOfValues ? $"{name} is given twice." : error.Message;
    }

    private static string DescribeUnmatched(string token, CommandResult command, Dictionary<string, Queue<string>> afterFlags)
    {
        if (afterFlags.TryGetValue(token, out var flags) && flags.Count > 0)
        {
            return $"{flags.Dequeue()} takes no value.";
        }

        if (!token.StartsWith('-'))
        {
            return IsGroup(command.Command) ? $"Unknown {PathOf(command)} command '{token}'." : $"Unexpected argument '{token}'.";
        }

        if (command.Command is ConfiguredCommand && ServerSetting.IsSetting(token))
        {
            // ServerSetting.Split leaves a setting here only when no value followed it.
            return NeedsValue(token);
        }

        return UnknownOption(token, command);
    }

    /// <summary>
    /// An option-like token the command does not know: one that another command has "does not apply", anything
    /// else is unknown. A command's positional argument uses it too, since System.CommandLine gives it any token
    /// it does not know (<c>keys revoke --bogus</c>).
    /// </summary>
    public static string UnknownOption(string token, CommandResult command)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        var name = equals > 0 ? token[..equals] : token;
        return OptionExists(RootOf(command).Command, name)
            ? $"Option '{name}' does not apply to '{PathOf(command)}'."
            : $"Unknown option '{token}'.";
    }

    /// <summary>
    /// The tokens that stand right after a flag: System.CommandLine splits <c>--admin=yes</c> into the flag and
    /// <c>yes</c>, and a flag takes no value, so such a token was meant for the flag (keyed by value, since
    /// <see cref="ParseResult.UnmatchedTokens"/> holds only values).
    /// </summary>
    private static Dictionary<string, Queue<string>> ArgumentsAfterFlags(ParseResult result, CommandResult command)
    {
        var afterFlags = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < result.Tokens.Count; i++)
        {
            if (result.Tokens[i].Type == TokenType.Option && result.Tokens[i + 1].Type == TokenType.Argument
                && FindOption(command, result.Tokens[i].Value) is { Arity.MaximumNumberOfValues: 0 } flag)
            {
                var value = result.Tokens[i + 1].Value;
                if (!afterFlags.TryGetValue(value, out var flags))
                {
                    afterFlags[value] = flags = new Queue<string>();
                }

                flags.Enqueue(flag.Name);
            }
        }

        return afterFlags;
    }

    private static Option? FindOption(CommandResult command, string name)
    {
        for (SymbolResult? current = command; current is CommandResult result; current = current.Parent)
        {
            var option = result.Command.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));
            if (option is not null && (result == command || option.Recursive))
            {
                return option;
            }
        }

        return null;
    }

    private static bool OptionExists(Command command, string name) =>
        command.Options.Any(o => o.Name == name || o.Aliases.Contains(name))
        || command.Subcommands.Any(subcommand => OptionExists(subcommand, name));

    private static CommandResult RootOf(CommandResult command)
    {
        while (command.Parent is CommandResult parent)
        {
            command = parent;
        }

        return command;
    }

    private static bool IsGroup(Command command) => command.Action is null && command.Subcommands.Count > 0;

    private static string ListOf(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 1 ? list[0] : $"{string.Join(", ", list.SkipLast(1))} or {list[^1]}";
    }
}
