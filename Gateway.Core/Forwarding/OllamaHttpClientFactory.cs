using System.Net.Http;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Forwarding;

/// <summary>
/// YARP's client factory (no proxy, no redirects, no cookies, no decompression) with the gateway's connect
/// timeout: an Ollama that does not accept the connection is a 502 within seconds, not after minutes.
/// </summary>
internal sealed class OllamaHttpClientFactory(IOptions<GatewayOptions> options) : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = options.Value.UpstreamConnectTimeout;

        // Re-resolve Ollama's name now and then (a VNet or container address can move).
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new BufferedBodyHandler(base.WrapHandler(context, handler));
}
