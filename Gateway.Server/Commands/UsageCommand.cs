using System.CommandLine;
using System.CommandLine.Parsing;
using OllamaGateway.Server.Commands.Usage;
using OllamaGateway.Usage;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// <c>usage</c>: who used how much, from the same source the gateway reports from (the usage ledger beside the keys
/// file, found from the server's settings). Filters and grouping as <c>GET /gateway/usage</c> takes them; a table with
/// totals by default, or JSON (the endpoint's shape) or CSV. Exit codes: 0 done, 1 no ledger or it cannot be read,
/// 2 bad arguments.
/// </summary>
internal static class UsageCommand
{
    public const string Name = "usage";

    public static Command Create(CommandContext context)
    {
        var since = Text("--since", "DATE|DURATION", "From when: a time with a zone, a date (UTC midnight) or a duration back from now (30d, 12h). Default: 30 days back.");
        var until = Text("--until", "DATE|DURATION", "Until when, in the same forms. Default: now.");
        var key = Text("--key", "NAME", "Only this key's requests.");
        var model = Text("--model", "GLOB", "Only models matching this pattern, as in key rights (llama3.2*).");
        var by = Text("--by", "key|model|day|hour[,...]", "What each row groups, comma-separated. Default: key,model.");
        var format = CommandOptions.Valued("--format", "table|json|csv", "How to print the report. Default: table.", result =>
        {
            var value = result.Tokens[^1].Value;
            if (value is "table" or "json" or "csv")
            {
                return value;
            }

            result.AddError($"--format takes table, json or csv (got '{value}').");
            return null;
        });

        var command = new ConfiguredCommand(Name, "Report usage per key, model, day or hour from the usage ledger.")
        {
            since, until, key, model, by, format,
        };
        command.SetAction((result, cancellationToken) => UsageReportAction.RunAsync(
            result.GetValue(since), result.GetValue(until), result.GetValue(key), result.GetValue(model), result.GetValue(by),
            result.GetValue(format) ?? "table", context, cancellationToken));
        return command;
    }

    private static Option<string> Text(string name, string helpName, string description) =>
        CommandOptions.Valued(name, helpName, description, static result => result.Tokens[^1].Value);
}
