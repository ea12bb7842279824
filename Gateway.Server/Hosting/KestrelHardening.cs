using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OllamaGateway.Server.Hosting;

/// <summary>
/// Kestrel limits set on purpose rather than left at their defaults. Body sizes are capped per route by the
/// gateway pipeline (so both hosts share them); here the server-wide ceiling stays open for admin model
/// uploads, and the header and rate limits bound what an unauthenticated client can make the server hold.
/// Each can still be overridden with the standard <c>Kestrel:Limits:*</c> settings.
/// </summary>
internal static class KestrelHardening
{
    public static void Apply(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;

        // Ollama requests carry a handful of short headers; 32 KB total and 64 headers is generous for them.
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 64;
        limits.MaxRequestLineSize = 8 * 1024;

        // The pipeline applies the per-route caps (see Gateway:MaxRequestBodyBytes); blob uploads by admins can
        // be many gigabytes, so the server-wide ceiling is lifted and the route decides.
        limits.MaxRequestBodySize = null;

        // A client trickling its body slower than this is cut off (slowloris); 5 seconds of grace at the start.
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(120);
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        limits.Http2.MaxStreamsPerConnection = 100;
    }
}
