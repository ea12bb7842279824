namespace OllamaGateway.Validation;

/// <summary>
/// Go's <c>time.ParseDuration</c>, ported so the guard reads a <c>keep_alive</c> string exactly as Ollama will:
/// <c>"5m"</c>, <c>"1h30m"</c>, <c>"1.5h"</c>, <c>"-1s"</c>, <c>"+2m"</c>, <c>"300ms"</c>, and <c>"0"</c> (the only
/// form without a unit). <c>"-1"</c> and <c>"300"</c> are errors in Go (missing unit), so they are errors here.
/// Ollama's <c>api.Duration.UnmarshalJSON</c> turns any negative result into "keep loaded for ever".
/// </summary>
internal static class GoDuration
{
    private const ulong Overflow = 1UL << 63;

    /// <summary>Parses <paramref name="text"/> into nanoseconds; false wherever Go returns an error.</summary>
    public static bool TryParse(string text, out long nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        nanoseconds = 0;
        var s = text.AsSpan();
        var negative = false;
        if (!s.IsEmpty && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return false;
            }

            var before = s.Length;
            if (!TryLeadingInt(ref s, out var whole))
            {
                return false;
            }

            // Go's pre and post flags in one: at least one digit before or after the point.
            var hadDigits = before != s.Length;
            ulong fraction = 0;
            double scale = 1;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var afterDot = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hadDigits |= afterDot != s.Length;
            }

            if (!hadDigits)
            {
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0 || !TryUnit(s[..unitLength], out var unit))
            {
                return false;
            }

            s = s[unitLength..];
            if (whole > Overflow / unit)
            {
                return false;
            }

            whole *= unit;

            // As in Go: float64 is exact enough for fractions of the largest unit (hours). Go skips this for a zero
            // fraction, which adds nothing.
            whole += (ulong)(fraction * (unit / scale));
            if (whole > Overflow)
            {
                return false;
            }

            total += whole;
            if (total > Overflow)
            {
                return false;
            }
        }

        if (negative)
        {
            // 2^63 wraps to long.MinValue, as Go's -Duration(d) does.
            nanoseconds = unchecked(-(long)total);
            return true;
        }

        if (total > long.MaxValue)
        {
            return false;
        }

        nanoseconds = (long)total;
        return true;
    }

    // Go's leadingInt: the digits as a number, false when it passes 2^63. Computed in 128 bits so that ×10 cannot
    // wrap.
    private static bool TryLeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            var next = ((UInt128)value * 10) + (ulong)(s[i] - '0');
            if (next > Overflow)
            {
                // Stryker disable once all : success here would leave the digits unread, and the caller refuses a number with no digits
                return false;
            }

            value = (ulong)next;
        }

        s = s[i..];
        return true;
    }

    // Go's leadingFraction: accumulates digits while the value stays within 2^63 and ignores the rest (they are
    // worth less than a nanosecond even in hours); scale is 10 to the number of digits kept.
    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            var next = ((UInt128)value * 10) + (ulong)(s[i] - '0');
            // Stryker disable once Equality : >= only drops a 19th digit that makes exactly 2^63: under 1e-5 ns in any unit
            if (overflow || next > Overflow)
            {
                // Stryker disable once all : false only lets a later digit take the place of a dropped 19th: under 1e-5 ns in any unit
                overflow = true;
                continue;
            }

            value = (ulong)next;
            scale *= 10;
        }

        s = s[i..];
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => 1UL,
            "us" or "\u00B5s" or "\u03BCs" => 1_000UL,
            "ms" => 1_000_000UL,
            "s" => 1_000_000_000UL,
            "m" => 60_000_000_000UL,
            "h" => 3_600_000_000_000UL,
            _ => 0UL,
        };
        return nanoseconds != 0;
    }
}
