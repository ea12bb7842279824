using System.CommandLine;
using System.CommandLine.Help;
using System.Text;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// One line per way to call a command, made from its System.CommandLine definition, such as
/// <c>Gateway.Server keys revoke NAME [--file PATH]</c>: what a bad command line prints under its problem, and what
/// help adds after System.CommandLine's sections (whose usage line is only <c>keys [command] [options]</c>).
/// A group lists each of its commands; the root lists one line per command and folds a group of several into
/// <c>keys create|list|revoke|hash [options]</c>. The root's default command is shown as <c>[serve]</c>.
/// </summary>
internal static class CommandSynopsis
{
    /// <summary>
    /// Lines are wrapped before this width, continuing under the command's first option: wide enough for the
    /// longest command to take two lines, and fixed, so the text is the same on every terminal and in a file.
    /// </summary>
    private const int Width = 100;

    /// <summary>The lines as a bad command line shows them: <c>Usage: </c> before the first, aligned below it.</summary>
    public static string Usage(Command command, RootCommand root)
    {
        const string Heading = "Usage: ";
        var text = new StringBuilder();
        foreach (var line in Lines(command, root, Heading.Length))
        {
            text.Append(text.Length == 0 ? Heading : new string(' ', Heading.Length)).AppendLine(line);
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The lines for <paramref name="command"/>; <paramref name="indent"/> is where the caller starts them.</summary>
    public static IEnumerable<string> Lines(Command command, RootCommand root, int indent)
    {
        var prefix = Prefix(command, root);
        if (command is RootCommand)
        {
            foreach (var subcommand in Visible(command.Subcommands))
            {
                var subcommands = Visible(subcommand.Subcommands).ToList();
                if (subcommand.Action is not null && subcommand.Action == root.Action)
                {
                    yield return Wrap($"{prefix}[{subcommand.Name}]", Parameters(subcommand), indent);
                }
                else if (subcommands.Count > 1)
                {
                    yield return $"{prefix}{subcommand.Name} {string.Join('|', subcommands.Select(c => c.Name))} [options]";
                }
                else
                {
                    foreach (var line in Leaves(subcommand, $"{prefix}{subcommand.Name}", indent))
                    {
                        yield return line;
                    }
                }
            }

            yield break;
        }

        foreach (var line in Leaves(command, prefix.TrimEnd(), indent))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> Leaves(Command command, string path, int indent)
    {
        var subcommands = Visible(command.Subcommands).ToList();
        if (subcommands.Count == 0)
        {
            yield return Wrap(path, Parameters(command), indent);
            yield break;
        }

        foreach (var subcommand in subcommands)
        {
            foreach (var line in Leaves(subcommand, $"{path} {subcommand.Name}", indent))
            {
                yield return line;
            }
        }
    }

    private static string Prefix(Command command, RootCommand root)
    {
        var names = new Stack<string>();
        for (var current = command; current is not null && current is not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Push(current.Name);
        }

        names.Push(root.HelpName ?? root.Name);
        return string.Join(' ', names) + " ";
    }

    private static IEnumerable<Command> Visible(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden);

    private static IEnumerable<string> Parameters(Command command)
    {
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var name = argument.HelpName ?? argument.Name;
            yield return argument.Arity.MinimumNumberOfValues > 0 ? name : $"[{name}]{(argument.Arity.MaximumNumberOfValues > 1 ? "..." : string.Empty)}";
        }

        foreach (var option in command.Options.Where(o => !o.Hidden && o is not (HelpOption or VersionOption)))
        {
            var usage = option.Arity.MaximumNumberOfValues == 0 ? option.Name : $"{option.Name} {option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant()}";
            yield return option.Required ? usage : $"[{usage}]{(option.Arity.MaximumNumberOfValues > 1 ? "..." : string.Empty)}";
        }

        // What such a command does not know goes to the server's configuration (serve, and the root that runs it).
        if (!command.TreatUnmatchedTokensAsErrors)
        {
            yield return "[--Section:Name VALUE]...";
        }
    }

    private static string Wrap(string path, IEnumerable<string> parameters, int indent)
    {
        var text = new StringBuilder(path);
        var column = indent + path.Length;
        var continuation = new string(' ', indent + path.Length + 1);
        foreach (var parameter in parameters)
        {
            if (column + 1 + parameter.Length > Width && column > continuation.Length)
            {
                text.AppendLine().Append(continuation);
                column = continuation.Length;
            }
            else
            {
                text.Append(' ');
                column++;
            }

            text.Append(parameter);
            column += parameter.Length;
        }

        return text.ToString();
    }
}
