using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace OllamaGateway.Server.Logging;

/// <summary>
/// Writes the access log (<see cref="Category"/>, one line per request) to standard output in batches. Each line is
/// formatted by the console's own formatter (<c>Logging:Console:FormatterName</c>: simple, json or systemd, with its
/// options), so it reads exactly as the console logger would write it; only the writing differs: the console logger
/// wakes a thread and makes a system call per line, which at thousands of requests a second cost more than everything
/// else the gateway does per request. Lines reach the output within <see cref="ConsoleLineBatch.Linger"/>; stopping
/// the server writes what is left. The console logger keeps every other category, and its filters
/// (<c>Logging:Console:LogLevel</c>) apply here too through the <c>Console</c> alias.
/// </summary>
[ProviderAlias("Console")]
internal sealed class AccessLogConsoleProvider : ILoggerProvider, ISupportExternalScope
{
    /// <summary>The access log's category (Core's <c>AccessLogSink.Category</c>).</summary>
    public const string Category = "OllamaGateway.Access";

    private readonly Dictionary<string, ConsoleFormatter> _formatters;
    private readonly IOptionsMonitor<ConsoleLoggerOptions> _options;
    private readonly ConsoleLineBatch _batch;
    private IExternalScopeProvider? _scopes;

    public AccessLogConsoleProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, new ConsoleLineBatch(Console.OpenStandardOutput(), () => Console.Out))
    {
    }

    internal AccessLogConsoleProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, ConsoleLineBatch batch)
    {
        _options = options;
        _formatters = formatters.ToDictionary(formatter => formatter.Name, StringComparer.OrdinalIgnoreCase);
        _batch = batch;
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == Category ? new AccessLogger(this) : NullLogger.Instance;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _batch.Dispose();

    // The console logger's choice: the named formatter, else the simple one.
    private ConsoleFormatter Formatter =>
        _formatters.GetValueOrDefault(_options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple)
        ?? _formatters[ConsoleFormatterNames.Simple];

    private sealed class AccessLogger(AccessLogConsoleProvider provider) : ILogger
    {
        // One per thread: formatting allocates nothing of its own beyond what the formatter does.
        [ThreadStatic]
        private static StringWriter? t_line;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = t_line ??= new StringWriter(new StringBuilder(512));
            var text = line.GetStringBuilder();
            text.Clear();
            provider.Formatter.Write(new LogEntry<TState>(logLevel, Category, eventId, state, exception, formatter), provider._scopes, line);
            if (text.Length > 0)
            {
                provider._batch.Add(text);
            }

            if (text.Capacity > 16 * 1024)
            {
                t_line = null;  // an unusually long line does not stay allocated for the thread's life
            }
        }
    }
}
