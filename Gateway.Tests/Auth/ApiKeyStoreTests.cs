using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Auth;

/// <summary>
/// The reloading keys store on a fake clock: a changed file that parses replaces the keys at the next check, and
/// anything else (a file that does not parse, a wrong field, a deleted file) leaves the last good keys in force and
/// is logged once, not every second.
/// </summary>
public sealed class ApiKeyStoreTests : IDisposable
{
    private const string AliceKey = "sk-alice-0123456789";
    private const string BobKey = "sk-bob-0123456789";
    private const string AliceFile = $$"""{"keys": [{"name": "alice", "key": "{{AliceKey}}"}]}""";
    private const string BobFile = $$"""{"keys": [{"name": "bob", "key": "{{BobKey}}"}]}""";

    private static readonly DateTime s_firstWrite = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _log = new();
    private readonly ILoggerFactory _logging;
    private int _writes;

    public ApiKeyStoreTests() => _logging = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Trace));

    private string KeysFile => _directory.PathOf("keys.json");

    public void Dispose()
    {
        _logging.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void MissingFileAtStart_StopsStartUpNamingTheSetting()
    {
        var error = Assert.Throws<KeyFileException>(() => Open("keys.json"));

        Assert.Contains("Gateway:KeysFile", error.Message, StringComparison.Ordinal);
        Assert.Contains(KeysFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFileAtStart_StopsStartUp()
    {
        Write("""{"keys": "sk-anything"}""");

        Assert.Throws<KeyFileException>(() => Open("keys.json"));
    }

    [Fact]
    public void RelativePath_IsResolvedAgainstTheContentRoot_AndTheKeysLoaded()
    {
        Write(AliceFile);

        using var store = Open("keys.json");

        Assert.Equal(KeysFile, store.FilePath);
        Assert.Equal("alice", store.Current.Find(AliceKey)!.Name);
        var loaded = Assert.Single(_log.Entries);
        Assert.Equal((LogLevel.Information, 1001), (loaded.Level, loaded.EventId.Id));
        Assert.Contains("Loaded 1 key(s)", loaded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileWithoutKeys_WarnsThatEveryRequestWillBeRefused()
    {
        Write("""{"keys": []}""");

        using var store = Open("keys.json");

        Assert.Empty(store.Current.Keys);
        var warning = Assert.Single(_log.Entries);
        Assert.Equal((LogLevel.Warning, 1002), (warning.Level, warning.EventId.Id));
    }

    [Fact]
    public void ChangedFile_ReplacesTheKeysAtTheNextCheck()
    {
        Write(AliceFile);
        using var store = Open(KeysFile);
        Write(BobFile);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.NotNull(store.Current.Find(AliceKey));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(store.Current.Find(AliceKey));
        Assert.Equal("bob", store.Current.Find(BobKey)!.Name);
        Assert.Equal(2, _log.Entries.Count(e => e.EventId.Id == 1001));
    }

    [Fact]
    public void UnchangedFile_IsNotReadAgain()
    {
        Write(AliceFile);
        using var store = Open(KeysFile);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Single(_log.Entries, e => e.EventId.Id == 1001);
        Assert.NotNull(store.Current.Find(AliceKey));
    }

    public static TheoryData<string> Refused() => new()
    {
        """{"keys": "sk-anything"}""",
        "{\"keys\": [",
        $$"""{"keys": [{"name": "bob", "key": "{{BobKey}}", "expires": 1798675200}]}""",
        $$"""{"keys": [{"name": "bob", "key": "{{BobKey}}", "admin": "yes"}]}""",
        $$"""{"keys": [{"name": "bob", "key": "{{BobKey}}", "limits": {"requestsPerMinute": 0} }]}""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusedFile_KeepsTheLastGoodKeys_AndIsLoggedOnce(string content)
    {
        Write(AliceFile);
        using var store = Open(KeysFile);

        Write(content);
        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(store.Current.Find(AliceKey));
        Assert.Null(store.Current.Find(BobKey));
        var refused = Assert.Single(_log.Entries, e => e.EventId.Id == 1003);
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.Contains(KeysFile, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedFile_ThenFixed_IsLoaded()
    {
        Write(AliceFile);
        using var store = Open(KeysFile);
        Write("{\"keys\": [");
        _time.Advance(TimeSpan.FromSeconds(1));

        Write(BobFile);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(store.Current.Find(AliceKey));
        Assert.NotNull(store.Current.Find(BobKey));
    }

    [Fact]
    public void DeletedFile_KeepsTheLastGoodKeys_LogsOnce_AndARecreatedFileIsLoaded()
    {
        Write(AliceFile);
        using var store = Open(KeysFile);

        File.Delete(KeysFile);
        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(store.Current.Find(AliceKey));
        Assert.Contains("does not exist", Assert.Single(_log.Entries, e => e.EventId.Id == 1003).Message, StringComparison.Ordinal);

        Write(BobFile);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(store.Current.Find(AliceKey));
        Assert.NotNull(store.Current.Find(BobKey));
    }

    [Fact]
    public void DisposedStore_StopsChecking()
    {
        Write(AliceFile);
        var store = Open(KeysFile);

        store.Dispose();
        Write(BobFile);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotNull(store.Current.Find(AliceKey));
    }

    private ApiKeyStore Open(string keysFile)
    {
        var environment = new HostingEnvironment { ContentRootPath = _directory.Path };
        return new ApiKeyStore(Options.Create(new GatewayOptions { KeysFile = keysFile }), environment, _time, _logging.CreateLogger<ApiKeyStore>());
    }

    // Every write gets its own modification time, a second apart, so a change is seen however coarse the file
    // system's clock is.
    private void Write(string content)
    {
        File.WriteAllText(KeysFile, content);
        File.SetLastWriteTimeUtc(KeysFile, s_firstWrite.AddSeconds(++_writes));
    }
}
