using Microsoft.AspNetCore.Hosting;

namespace OllamaGateway.Server.Hosting;

/// <summary>
/// The low-latency mode, off by default. <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> is the runtime's own
/// switch: socket completions run on the I/O threads instead of being queued to the thread pool. When it is set,
/// Kestrel is told to schedule inline as well, so a request goes from socket to Ollama and back without a thread
/// hop (README, Performance: about half the CPU per request on one connection). The price: anything slow on a
/// request (a blocked log sink; large bodies are parsed on the thread pool, see <c>LargeBody</c>) holds up the other
/// connections on that I/O thread.
/// </summary>
internal static class InlineIo
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static bool IsEnabled => Environment.GetEnvironmentVariable(Variable) == "1";

    public static void Apply(IWebHostBuilder webHost) => Apply(webHost, IsEnabled);

    public static void Apply(IWebHostBuilder webHost, bool enabled)
    {
        if (enabled)
        {
            webHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }
    }
}
