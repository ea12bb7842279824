using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>--help</c> (and <c>-h</c>, <c>-?</c>, the <c>help</c> command): System.CommandLine's help for the command,
/// then a "Synopsis" section with one full line per way to call it (<see cref="CommandSynopsis"/>), which its own
/// usage line (<c>keys [command] [options]</c>) leaves out. System.CommandLine's help writer is not public, so the
/// section follows its output rather than replacing its usage line.
/// </summary>
internal sealed class CommandHelpAction(RootCommand root) : SynchronousCommandLineAction
{
    private readonly HelpAction _standard = new();

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        _standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Synopsis:");
        foreach (var line in CommandSynopsis.Lines(parseResult.CommandResult.Command, root, indent: 2))
        {
            output.WriteLine($"  {line}");
        }

        output.WriteLine();
        return 0;
    }
}
