using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// The program's command line: <c>serve</c> (the default), <c>keys</c>, <c>cert</c> and <c>usage</c>, parsed by System.CommandLine,
/// which also gives help (<c>--help</c>, <c>help</c>), shell completion (the <c>[suggest]</c> directive that
/// <c>dotnet-suggest</c> uses) and <c>--version</c>. A bad command line gets its problems
/// (<see cref="CommandLineProblems"/>) and the synopsis on standard error, and exit code 2.
/// To add a command, write <c>XCommand.Create(CommandContext)</c> returning its <see cref="Command"/> (a
/// <see cref="ConfiguredCommand"/> if it reads the server's configuration) and add it in <see cref="Create"/>.
/// </summary>
internal static class CommandLine
{
    /// <summary>The name help and messages use for the program, whatever the executable is called.</summary>
    public const string ProgramName = "Gateway.Server";

    /// <summary>Exit code for a command line that could not be understood.</summary>
    public const int BadArguments = 2;

    /// <summary>One line per command, as a bad command line shows it.</summary>
    public static string Usage
    {
        get
        {
            var root = Create(new CommandContext(TextWriter.Null, TextWriter.Null, TimeProvider.System, Directory.GetCurrentDirectory()));
            return CommandSynopsis.Usage(root, root);
        }
    }

    /// <summary>Runs the command line on the console, as the program does.</summary>
    public static int Run(string[] args) => Run(args, CommandContext.ForConsole());

    public static int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var settings = ServerSetting.Split(args, out var rest);
        context = context with { ServerSettings = settings };
        var root = Create(context);
        var result = root.Parse(rest);

        // Help, --version and directives run even on a command line with problems; a command runs only on a good one.
        if (result.Action is ParseErrorAction || result.Action == result.CommandResult.Command.Action)
        {
            var problems = CommandLineProblems.Find(result, context);
            if (problems.Count > 0)
            {
                Report(problems, result, root, context.Error);
                return BadArguments;
            }
        }

        return result.Invoke(new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,

            // An exception that is not a user's mistake is a bug: let it end the program as it would without a parser.
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>The command tree, one line per command; the actions write to <paramref name="context"/>.</summary>
    public static RootCommand Create(CommandContext context)
    {
        var root = new RootCommand("OllamaGateway: an authenticating gateway in front of Ollama.") { HelpName = ProgramName };
        var serve = ServeCommand.Create(context);
        root.Add(serve);
        root.Add(KeysCommand.Create(context));
        root.Add(CertCommand.Create(context));
        root.Add(UsageCommand.Create(context));
        root.Add(HelpCommand.Create());

        ServeCommand.MakeDefault(root, serve);
        root.Options.OfType<HelpOption>().Single().Action = new CommandHelpAction(root);
        return root;
    }

    private static void Report(IReadOnlyList<string> problems, ParseResult result, RootCommand root, TextWriter error)
    {
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        // The synopsis of the whole command (all of keys, not only keys list), and where the details are.
        var command = result.CommandResult;
        while (command.Parent is CommandResult parent && parent.Command != root)
        {
            command = parent;
        }

        error.WriteLine(CommandSynopsis.Usage(command.Command, root));
        var path = CommandLineProblems.PathOf(result.CommandResult);
        error.WriteLine($"Run '{ProgramName}{(path.Length == 0 ? string.Empty : " " + path)} --help' for more.");
    }
}
