namespace OllamaGateway.Server.Commands;

/// <summary>
/// One ASP.NET Core-style setting on the command line, <c>--Section:Name=value</c> or <c>--Section:Name value</c>,
/// as the server's configuration reads it (<c>--Gateway:KeysFile=keys.json</c>, <c>--Logging:LogLevel:Default None</c>).
/// Their names are open-ended, so they cannot be System.CommandLine options: they are taken off the command line
/// before it is parsed, wherever they stand, and handed to the command if it reads the server's configuration
/// (a <see cref="ConfiguredCommand"/>); any other command refuses them as unknown options.
/// </summary>
/// <param name="Argument">The argument as typed (its name part when the value followed separately), for messages.</param>
/// <param name="Key">The configuration key, such as <c>Gateway:KeysFile</c>.</param>
/// <param name="Value">The value, possibly empty (<c>--Gateway:KeysFile=</c>), which the command judges.</param>
internal sealed record ServerSetting(string Argument, string Key, string Value)
{
    /// <summary>The setting as one argument, the form the configuration's command-line provider reads.</summary>
    public string ToArgument() => $"--{Key}={Value}";

    /// <summary>Whether the argument names a setting: <c>--</c>, then a name with a ':' before any '='.</summary>
    public static bool IsSetting(string argument)
    {
        if (!argument.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? argument.AsSpan(2) : argument.AsSpan(2, equals - 2);
        return name.Contains(':') && name[0] != ':';
    }

    /// <summary>
    /// Takes the settings off <paramref name="args"/>. A setting without '=' takes the next argument as its value
    /// unless that is missing or itself an option (<c>--…</c>); such a setting is left in the rest, where the
    /// command reports it as needing a value. Nothing after <c>--</c> is a setting.
    /// </summary>
    public static IReadOnlyList<ServerSetting> Split(IReadOnlyList<string> args, out IReadOnlyList<string> rest)
    {
        var settings = new List<ServerSetting>();
        var others = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (argument == "--")
            {
                others.AddRange(args.Skip(i));
                break;
            }

            if (!IsSetting(argument))
            {
                others.Add(argument);
                continue;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                settings.Add(new ServerSetting(argument, argument[2..equals], argument[(equals + 1)..]));
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                settings.Add(new ServerSetting(argument, argument[2..], args[++i]));
            }
            else
            {
                others.Add(argument);
            }
        }

        rest = others;
        return settings;
    }
}
