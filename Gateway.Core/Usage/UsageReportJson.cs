using System.Text.Json;

namespace OllamaGateway.Usage;

/// <summary>
/// A usage report as JSON, for <c>GET /gateway/usage</c> and <c>usage --format json</c>:
/// <c>{"since":…,"until":…,"rows":[{"key":…,"model":…,"requests":N,"prompt_tokens":N,"completion_tokens":N,
/// "total_tokens":N,"errors":N}],"totals":{…the same counters…}}</c>. A row carries only the fields the report is
/// grouped by (<c>day</c> or <c>hour</c> as a UTC time).
/// </summary>
public static class UsageReportJson
{
    /// <summary>Writes <paramref name="report"/>.</summary>
    public static void Write(Utf8JsonWriter writer, UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("since"u8, report.Query.Since.ToUniversalTime());
        writer.WriteString("until"u8, report.Query.Until.ToUniversalTime());
        writer.WriteStartArray("rows"u8);
        foreach (var row in report.Rows)
        {
            writer.WriteStartObject();
            foreach (var grouping in report.Query.By)
            {
                switch (grouping)
                {
                    case UsageGrouping.Key:
                        writer.WriteString("key"u8, row.Key);
                        break;
                    case UsageGrouping.Model:
                        writer.WriteString("model"u8, row.Model);
                        break;
                    default:
                        writer.WriteString(UsageQueryParser.NameOf(grouping), row.Period?.ToUniversalTime() ?? default);
                        break;
                }
            }

            WriteCounters(writer, row.Counters);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("totals"u8);
        WriteCounters(writer, report.Totals);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The report as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(UsageReport report)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + (report?.Rows.Count ?? 0) * 160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, report!);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCounters(Utf8JsonWriter writer, UsageCounters counters)
    {
        writer.WriteNumber("requests"u8, counters.Requests);
        writer.WriteNumber("prompt_tokens"u8, counters.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, counters.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, counters.TotalTokens);
        writer.WriteNumber("errors"u8, counters.Errors);
    }
}
