using System.Globalization;
using System.Text;

namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: how OpenTelemetry instrument names become metric names
/// (dots to underscores, the unit as a suffix, <c>_total</c> on counters, as OpenTelemetry's Prometheus compatibility
/// rules say), and how names, label values, help text and numbers are written.
/// </summary>
internal static class PrometheusText
{
    /// <summary>The content type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The metric name of an instrument: <c>gen_ai.server.request.duration</c> in <c>s</c> gives <c>gen_ai_server_request_duration_seconds</c>.</summary>
    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        if (UnitSuffix(unit) is { } suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A label name from an attribute name: <c>gen_ai.token.type</c> gives <c>gen_ai_token_type</c>.</summary>
    public static string LabelName(string attributeName) => Sanitize(attributeName, allowColon: false);

    /// <summary>Appends a label value with backslash, double quote and line feed escaped, as the format requires.</summary>
    public static void AppendLabelValue(ref LabelBuffer buffer, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    buffer.Append("\\\\");
                    break;
                case '"':
                    buffer.Append("\\\"");
                    break;
                case '\n':
                    buffer.Append("\\n");
                    break;
                default:
                    buffer.Append(c);
                    break;
            }
        }
    }

    /// <summary>Appends help text with backslash and line feed escaped.</summary>
    public static StringBuilder AppendHelp(StringBuilder output, string help)
    {
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => output.Append("\\\\"),
                '\n' => output.Append("\\n"),
                _ => output.Append(c),
            };
        }

        return output;
    }

    /// <summary>Appends a sample value: Go's float syntax, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static StringBuilder AppendValue(StringBuilder output, double value) => value switch
    {
        double.PositiveInfinity => output.Append("+Inf"),
        double.NegativeInfinity => output.Append("-Inf"),
        double.NaN => output.Append("NaN"),
        _ => output.Append(value.ToString("R", CultureInfo.InvariantCulture)),
    };

    // Units in OpenTelemetry's UCUM spelling; annotations such as {token} say what is counted and add no suffix.
    private static string? UnitSuffix(string? unit) => unit switch
    {
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        _ => null,
    };

    // Metric names are [a-zA-Z_:][a-zA-Z0-9_:]*, label names the same without ':'; anything else becomes '_'.
    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return builder.ToString();
    }
}
