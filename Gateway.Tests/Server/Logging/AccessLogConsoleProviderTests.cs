using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OllamaGateway.Server;
using OllamaGateway.Server.Logging;
using OllamaGateway.Tests.Common;
using OllamaGateway.Usage;

namespace OllamaGateway.Tests.Server.Logging;

/// <summary>
/// The server writes the access log itself, in batches, but each line must read exactly as the console logger would
/// have written it, with whichever console formatter is configured; and it takes only the access log's category.
/// </summary>
public sealed class AccessLogConsoleProviderTests
{
    [Fact]
    public void Category_IsTheAccessLogs()
    {
        Assert.Equal(AccessLogSink.Category, AccessLogConsoleProvider.Category);
    }

    [Theory]
    [InlineData(ConsoleFormatterNames.Simple)]
    [InlineData(ConsoleFormatterNames.Json)]
    [InlineData(ConsoleFormatterNames.Systemd)]
    public void ALine_ReadsAsTheConsoleFormatterWritesIt(string formatterName)
    {
        using var services = ConsoleServices(formatterName);
        var output = new MemoryStream();
        using (var provider = new AccessLogConsoleProvider(Options(services), Formatters(services), new ConsoleLineBatch(output, () => output)))
        {
            Log(provider.CreateLogger(AccessLogConsoleProvider.Category));
        }

        var expected = new StringWriter();
        Formatters(services).Single(formatter => formatter.Name == formatterName).Write(
            new LogEntry<Line>(LogLevel.Information, AccessLogConsoleProvider.Category, new EventId(5100, "Request"), new Line("alice", 200), null, Line.Format),
            null, expected);
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void JsonFormatter_GivesOneObjectPerLineWithTheStateFields()
    {
        using var services = ConsoleServices(ConsoleFormatterNames.Json);
        var output = new MemoryStream();
        using (var provider = new AccessLogConsoleProvider(Options(services), Formatters(services), new ConsoleLineBatch(output, () => output)))
        {
            Log(provider.CreateLogger(AccessLogConsoleProvider.Category));
            Log(provider.CreateLogger(AccessLogConsoleProvider.Category));
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line =>
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal(AccessLogConsoleProvider.Category, json.GetProperty("Category").GetString());
            Assert.Equal("alice", json.GetProperty("State").GetProperty("Key").GetString());
            Assert.Equal(200, json.GetProperty("State").GetProperty("Status").GetInt32());
        });
    }

    [Fact]
    public void OtherCategories_AreLeftToTheConsoleLogger()
    {
        using var services = ConsoleServices(ConsoleFormatterNames.Simple);
        var output = new MemoryStream();
        using (var provider = new AccessLogConsoleProvider(Options(services), Formatters(services), new ConsoleLineBatch(output, () => output)))
        {
            var other = provider.CreateLogger("OllamaGateway.Pipeline");
            Assert.False(other.IsEnabled(LogLevel.Critical));
            Log(other);
        }

        Assert.Equal(0, output.Length);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("--Logging:Console:LogLevel:OllamaGateway.Access=None", false)]
    [InlineData("--Logging:LogLevel:OllamaGateway.Access=Warning", false)]
    public async Task TheServersLoggingSettings_TurnTheAccessLogOnAndOff(string? setting, bool written)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a-0123456789"]}""");
        string[] args = ["--urls", "http://127.0.0.1:0", "--Gateway:OllamaUrl=http://127.0.0.1:1", $"--Gateway:KeysFile={directory.PathOf("keys.json")}"];
        await using var app = ServerApp.Build(ServerApp.CreateBuilder(setting is null ? args : [.. args, setting]));

        Assert.Single(app.Services.GetServices<ILoggerProvider>().OfType<AccessLogConsoleProvider>());
        Assert.Equal(written, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AccessLogConsoleProvider.Category).IsEnabled(LogLevel.Information));
    }

    private static ServiceProvider ConsoleServices(string formatterName)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole());
        services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = formatterName);
        return services.BuildServiceProvider();
    }

    private static IOptionsMonitor<ConsoleLoggerOptions> Options(IServiceProvider services) => services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>();

    private static IEnumerable<ConsoleFormatter> Formatters(IServiceProvider services) => services.GetServices<ConsoleFormatter>();

    private static void Log(ILogger logger) =>
        logger.Log(LogLevel.Information, new EventId(5100, "Request"), new Line("alice", 200), null, Line.Format);

    // A structured state as the generated logging code makes one: named values and a formatted message.
    private sealed record Line(string Key, int Status) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public static readonly Func<Line, Exception?, string> Format = (line, _) => $"key={line.Key} status={line.Status}";

        public int Count => 3;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Key", Key),
            1 => new("Status", Status),
            _ => new("{OriginalFormat}", "key={Key} status={Status}"),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
