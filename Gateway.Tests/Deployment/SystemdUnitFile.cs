namespace OllamaGateway.Tests.Deployment;

/// <summary>
/// A systemd unit file read the way systemd reads it (systemd.syntax(7)): <c>[Section]</c> headers, <c>Key=value</c>
/// lines, <c>#</c>/<c>;</c> comments, a trailing backslash continuing a line. Keys may repeat; an empty value
/// resets a list setting, which callers see as an entry with an empty value. Commented-out settings
/// (<c>#Key=value</c>) are kept apart, so tests can check the examples a reader is invited to enable.
/// </summary>
internal sealed class SystemdUnitFile
{
    private readonly List<(string Section, string Key, string Value)> _entries = [];
    private readonly List<(string Section, string Key, string Value)> _commentedOut = [];

    public static SystemdUnitFile Load(string path) => Parse(File.ReadAllText(path));

    public static SystemdUnitFile Parse(string text)
    {
        var unit = new SystemdUnitFile();
        var section = string.Empty;
        string? pending = null;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = pending is null ? rawLine.Trim() : pending + " " + rawLine.Trim();
            pending = null;
            if (line.StartsWith('#') || line.StartsWith(';'))
            {
                if (TrySplit(line[1..], out var key, out var value))
                {
                    unit._commentedOut.Add((section, key, value));
                }

                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending = line[..^1].TrimEnd();
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            if (!TrySplit(line, out var name, out var setting))
            {
                throw new FormatException($"Not a Key=value line in section [{section}]: '{line}'.");
            }

            unit._entries.Add((section, name, setting));
        }

        return unit;
    }

    /// <summary>Every value of <paramref name="key"/> in <paramref name="section"/>, in file order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).ToList();

    /// <summary>The value in force: the last one given, or null when the key is absent.</summary>
    public string? Last(string section, string key) => All(section, key).LastOrDefault();

    /// <summary>Values of <c>#Key=value</c> lines in <paramref name="section"/>.</summary>
    public IReadOnlyList<string> CommentedOut(string section, string key) =>
        _commentedOut.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).ToList();

    /// <summary><c>Environment=NAME=value</c> lines as a dictionary (later lines win, as in systemd).</summary>
    public IReadOnlyDictionary<string, string> Environment(string section = "Service") => ToVariables(All(section, "Environment"));

    /// <summary>Commented-out <c>#Environment=NAME=value</c> lines: settings the file invites readers to enable.</summary>
    public IReadOnlyDictionary<string, string> CommentedOutEnvironment(string section = "Service") => ToVariables(CommentedOut(section, "Environment"));

    private static Dictionary<string, string> ToVariables(IEnumerable<string> values)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in values.SelectMany(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                variables[assignment[..equals]] = assignment[(equals + 1)..];
            }
        }

        return variables;
    }

    private static bool TrySplit(string line, out string key, out string value)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        key = equals > 0 ? line[..equals].Trim() : string.Empty;
        value = equals > 0 ? line[(equals + 1)..].Trim() : string.Empty;
        return equals > 0 && key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
    }
}
