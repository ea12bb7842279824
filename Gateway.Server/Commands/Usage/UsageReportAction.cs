using Microsoft.Data.Sqlite;
using OllamaGateway.Usage;

namespace OllamaGateway.Server.Commands.Usage;

/// <summary>Runs <c>usage</c>: reads the filters, queries the report source the server's settings name, prints the report.</summary>
internal static class UsageReportAction
{
    public static async Task<int> RunAsync(string? since, string? until, string? key, string? model, string? by, string format, CommandContext context, CancellationToken cancellationToken)
    {
        var query = UsageQueryParser.TryParse(since, until, key, model, by, context.Time.GetUtcNow(), out var problem);
        if (query is null)
        {
            context.Error.WriteLine(problem!.Replace("'since'", "--since", StringComparison.Ordinal)
                .Replace("'until'", "--until", StringComparison.Ordinal).Replace("'key'", "--key", StringComparison.Ordinal)
                .Replace("'model'", "--model", StringComparison.Ordinal).Replace("'by'", "--by", StringComparison.Ordinal));
            return CommandLine.BadArguments;
        }

        UsageReport report;
        try
        {
            var source = UsageReportSources.Open(ServerConfiguration.Read(context), context.ContentRoot);
            try
            {
                report = await source.QueryAsync(query, cancellationToken);
            }
            finally
            {
                (source as IDisposable)?.Dispose();
            }
        }
        catch (FileNotFoundException ex)
        {
            context.Error.WriteLine($"{ex.Message} The gateway writes it while it serves (Gateway:Usage:Path, beside the keys file).");
            return 1;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidDataException or FormatException)
        {
            context.Error.WriteLine($"Cannot read the usage report: {ex.Message}");
            return 1;
        }

        switch (format)
        {
            case "json":
                context.Output.WriteLine(System.Text.Encoding.UTF8.GetString(UsageReportJson.ToUtf8(report)));
                break;
            case "csv":
                UsageReportText.WriteCsv(context.Output, report);
                break;
            default:
                UsageReportText.WriteTable(context.Output, report);
                break;
        }

        return 0;
    }
}
