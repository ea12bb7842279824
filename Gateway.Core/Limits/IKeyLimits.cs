using System.Net;
using OllamaGateway.Auth;
using OllamaGateway.Usage;

namespace OllamaGateway.Limits;

/// <summary>
/// Everything the pipeline asks of limits, in one call per request: a key's requests per minute, concurrent requests
/// and token budget (<see cref="AcquireAsync"/>), and the failed-authentication throttle per client address. The
/// embedded default counts in this instance's memory (<see cref="InProcessKeyLimits"/>); with Redis configured the
/// counts are shared by every instance, and this instance's memory is the fallback while Redis is unavailable.
/// </summary>
internal interface IKeyLimits
{
    /// <summary>
    /// Takes a permit for one request of <paramref name="key"/>; the caller holds the returned lease until the answer
    /// is complete. <paramref name="inference"/> says whether the token budget applies (listing models costs no tokens).
    /// </summary>
    ValueTask<LimitLease> AcquireAsync(ApiKey key, bool inference, RequestRecord record, CancellationToken cancellationToken);

    /// <summary>Records a failed authentication; returns the wait to announce when this address has failed too often.</summary>
    ValueTask<TimeSpan?> RecordAuthFailureAsync(IPAddress? address, CancellationToken cancellationToken);
}
