using System.Globalization;
using System.Text.Json;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Requests;

/// <summary>
/// Ollama's <c>keep_alive</c> (<c>api.Duration</c>): a number of seconds or a Go duration string;
/// negative means for ever (<see cref="TimeSpan.MaxValue"/>).
/// </summary>
internal static class GoDuration
{
    public static TimeSpan? Read(JsonElement obj)
    {
        var value = GoJson.Field(obj, "keep_alive");
        if (value is null)
        {
            return null;
        }

        switch (value.Value.ValueKind)
        {
            case JsonValueKind.Number:
                var seconds = value.Value.GetDouble();
                return seconds < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
            case JsonValueKind.String:
                var parsed = Parse(value.Value.GetString() ?? "");
                return parsed < TimeSpan.Zero ? TimeSpan.MaxValue : parsed;
            default:
                var goType = value.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool"
                    : value.Value.ValueKind == JsonValueKind.Array ? "[]interface {}" : "map[string]interface {}";
                throw new EmulatorRequestException(400, $"Unsupported type: '{goType}'");
        }
    }

    /// <summary>Go's <c>time.ParseDuration</c>.</summary>
    public static TimeSpan Parse(string text)
    {
        var quoted = JsonSerializerQuote(text);
        var s = text;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return TimeSpan.Zero;
        }

        if (s.Length == 0)
        {
            throw new EmulatorRequestException(400, $"time: invalid duration {quoted}");
        }

        double totalNanoseconds = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                throw new EmulatorRequestException(400, $"time: invalid duration {quoted}");
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            var unit = s[unitStart..i];
            double scale = unit switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                "" => throw new EmulatorRequestException(400, $"time: missing unit in duration {quoted}"),
                _ => throw new EmulatorRequestException(400, $"time: unknown unit {JsonSerializerQuote(unit)} in duration {quoted}"),
            };
            totalNanoseconds += number * scale;
        }

        var ticks = totalNanoseconds / 100;
        var result = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        return negative ? -result : result;
    }

    private static string JsonSerializerQuote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
