using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;

namespace OllamaGateway.Auth;

/// <summary>
/// Holds the keys from the configured keys file. The first load must succeed or start-up fails.
/// The file is then checked every second: a changed file that parses replaces the set at once
/// (requests in flight keep the set they started with); one that does not parse is refused with an
/// error log and the last good set stays in force — never an open door.
/// </summary>
internal sealed partial class ApiKeyStore : IDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromSeconds(1);

    private readonly ILogger<ApiKeyStore> _logger;
    private readonly ITimer _timer;
    private readonly Lock _reloadLock = new();
    private FileStamp _stamp;
    private volatile ApiKeySet _current;

    public ApiKeyStore(IOptions<GatewayOptions> options, IHostEnvironment environment, TimeProvider timeProvider, ILogger<ApiKeyStore> logger)
    {
        _logger = logger;
        FilePath = Path.GetFullPath(options.Value.KeysFile, environment.ContentRootPath);
        (_current, _stamp) = Load(FilePath);
        if (_current.Keys.Count == 0)
        {
            Log.NoKeys(_logger, FilePath);
        }
        else
        {
            Log.Loaded(_logger, _current.Keys.Count, FilePath);
        }

        _timer = timeProvider.CreateTimer(_ => ReloadIfChanged(), null, s_pollInterval, s_pollInterval);
    }

    public string FilePath { get; }

    public ApiKeySet Current => _current;

    public void Dispose() => _timer.Dispose();

    /// <summary>Reads the file again if it changed since the last load (called by the poll timer).</summary>
    private void ReloadIfChanged()
    {
        lock (_reloadLock)
        {
            // A missing file has the default stamp, which is what a refused missing file leaves in _stamp: so a
            // deleted file is logged once too, not every second.
            if (FileStamp.TryOf(FilePath) == _stamp)
            {
                return;
            }

            try
            {
                (_current, _stamp) = Load(FilePath);
                Log.Loaded(_logger, _current.Keys.Count, FilePath);
            }
            catch (Exception ex) when (ex is KeyFileException or IOException or UnauthorizedAccessException)
            {
                // Remember the bad version so the same error is logged once, not every second.
                _stamp = FileStamp.TryOf(FilePath);
                Log.ReloadRefused(_logger, ex.Message);
            }
        }
    }

    private static (ApiKeySet Keys, FileStamp Stamp) Load(string path)
    {
        byte[] bytes;
        FileStamp stamp;
        try
        {
            stamp = FileStamp.Of(path);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"Keys file '{path}' (setting Gateway:KeysFile) cannot be read: {ex.Message}", ex);
        }

        return (KeyFileParser.Parse(bytes, path), stamp);
    }

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException("the file does not exist", path);
            }

            return new FileStamp(info.LastWriteTimeUtc, info.Length);
        }

        public static FileStamp TryOf(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : default;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Loaded {Count} key(s) from {Path}.", EventName = "KeysLoaded")]
        public static partial void Loaded(ILogger logger, int count, string path);

        [LoggerMessage(1002, LogLevel.Warning, "The keys file {Path} holds no keys: every request will be refused with 401.", EventName = "NoKeys")]
        public static partial void NoKeys(ILogger logger, string path);

        [LoggerMessage(1003, LogLevel.Error, "The changed keys file was refused; the previous keys stay in force. {Problem}", EventName = "KeysReloadRefused")]
        public static partial void ReloadRefused(ILogger logger, string problem);
    }
}
