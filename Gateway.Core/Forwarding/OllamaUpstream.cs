using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// The one long-lived connection pool to Ollama, made by YARP's client factory: no proxy, no redirects
/// (an upstream redirect must never carry a request past the route policy), no cookies, no decompression.
/// </summary>
internal sealed class OllamaUpstream : IDisposable
{
    private readonly ConcurrentDictionary<string, Uri> _uris = new(StringComparer.Ordinal);

    public OllamaUpstream(IOptions<GatewayOptions> options, IForwarderHttpClientFactory clientFactory)
    {
        var settings = options.Value;
        GatewayOptionsValidator.TryParseOllamaUrl(settings.OllamaUrl, out var baseUri);
        DestinationPrefix = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        Invoker = clientFactory.CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = settings.UpstreamFirstByteTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            AllowResponseBuffering = false,
        };
        FirstByteTimeout = settings.UpstreamFirstByteTimeout;
        IdleTimeout = settings.UpstreamIdleTimeout;
    }

    /// <summary>The upstream's name in logs and records: <c>default</c> for <c>Gateway:OllamaUrl</c>.</summary>
    public string Name { get; } = "default";

    /// <summary>Ollama's base URL without a trailing slash; request paths are appended to it.</summary>
    public string DestinationPrefix { get; }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }

    /// <summary>How long Ollama may take to begin its answer.</summary>
    public TimeSpan FirstByteTimeout { get; }

    /// <summary>How long a stream from Ollama may stay silent between chunks.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>
    /// The absolute URI of one of the gateway's own native paths (<c>/api/chat</c>, ...). Uris are immutable, so each
    /// is parsed once and shared; callers pass constants, never a client's path, which keeps this cache small.
    /// </summary>
    public Uri UriFor(string path) => _uris.GetOrAdd(path, static (path, prefix) => new Uri(prefix + path, UriKind.Absolute), DestinationPrefix);

    public void Dispose() => Invoker.Dispose();
}
