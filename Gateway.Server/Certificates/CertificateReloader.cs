using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace OllamaGateway.Server.Certificates;

/// <summary>
/// Hands the TLS layer the current certificate and picks up a replaced one without a restart (the seed
/// had no reload at all). Called on every handshake, it looks at the files' stamps at most once per
/// <see cref="CheckInterval"/>, and reloads only when they changed. A replacement that fails to load
/// (half-copied, mismatched key, expired) is logged once and the last good certificate stays in use.
/// </summary>
internal sealed partial class CertificateReloader
{
    /// <summary>Bounds the file-system calls on the handshake path, while a renewal is seen within a second.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly TlsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CertificateReloader> _logger;
    private readonly Lock _lock = new();
    private X509Certificate2 _current;
    private string _lastStamp;
    private long _lastCheck;

    public CertificateReloader(TlsOptions options, LoadedCertificate initial, TimeProvider timeProvider, ILogger<CertificateReloader> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _current = initial.Certificate;
        _lastStamp = initial.FileStamp;
        _lastCheck = timeProvider.GetTimestamp();
    }

    /// <summary>The certificate to present now. Never null: a failed reload keeps the previous one.</summary>
    public X509Certificate2 GetCertificate()
    {
        if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastCheck)) < CheckInterval)
        {
            return Volatile.Read(ref _current);
        }

        lock (_lock)
        {
            // Another handshake may have done the check while this one waited for the lock.
            var now = _timeProvider.GetTimestamp();
            if (_timeProvider.GetElapsedTime(_lastCheck, now) < CheckInterval)
            {
                return _current;
            }

            Volatile.Write(ref _lastCheck, now);
            var stamp = TlsCertificateLoader.ReadFileStamp(_options);
            if (stamp == _lastStamp)
            {
                return _current;
            }

            // Remember the stamp even when loading fails: a bad file is reported once, not every second.
            _lastStamp = stamp;
            try
            {
                var loaded = TlsCertificateLoader.Load(_options, _timeProvider.GetUtcNow());
                _lastStamp = loaded.FileStamp;

                // The old certificate is not disposed: a handshake in flight may still be using it.
                Volatile.Write(ref _current, loaded.Certificate);
                Log.CertificateReloaded(_logger, _options.CertificatePath!, loaded.Certificate.GetCertHashString(HashAlgorithmName.SHA256), loaded.Certificate.NotAfter.ToUniversalTime());
            }
            catch (CertificateConfigurationException ex)
            {
                Log.CertificateReloadFailed(_logger, ex.Message, _current.GetCertHashString(HashAlgorithmName.SHA256));
            }

            return _current;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information,
            "TLS certificate reloaded from {Path}: SHA-256 {Fingerprint}, valid until {NotAfter:u}.", EventName = "CertificateReloaded")]
        public static partial void CertificateReloaded(ILogger logger, string path, string fingerprint, DateTime notAfter);

        [LoggerMessage(6002, LogLevel.Error,
            "TLS certificate files changed but cannot be used; still serving SHA-256 {Fingerprint}. {Problem}", EventName = "CertificateReloadFailed")]
        public static partial void CertificateReloadFailed(ILogger logger, string problem, string fingerprint);
    }
}
