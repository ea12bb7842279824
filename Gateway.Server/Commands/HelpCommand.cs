using System.CommandLine;
using System.CommandLine.Parsing;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>help</c> as a word (<c>Gateway.Server help</c>, <c>keys help</c>, <c>cert help</c>), as the commands have
/// always accepted it: the help of the command it follows, as <c>--help</c> shows it. Hidden, since help lists
/// <c>--help</c>. An alias of the help option would do the same but would hide <c>--help</c> from the option list,
/// which shows one name per alias stem.
/// </summary>
internal static class HelpCommand
{
    public const string Name = "help";

    public static Command Create()
    {
        var command = new Command(Name, "Show help.") { Hidden = true };
        command.SetAction(result =>
        {
            var path = new Stack<string>();
            for (var parent = result.CommandResult.Parent as CommandResult; parent?.Parent is not null; parent = parent.Parent as CommandResult)
            {
                path.Push(parent.IdentifierToken.Value);
            }

            return result.RootCommandResult.Command.Parse([.. path, "--help"]).Invoke(result.InvocationConfiguration);
        });
        return command;
    }
}
