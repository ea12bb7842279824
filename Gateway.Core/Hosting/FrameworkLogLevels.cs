using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace OllamaGateway.Hosting;

/// <summary>
/// Keeps the framework's per-request log lines out of the default configuration. At Information they print a
/// request's whole URL, query string included, or its headers: ASP.NET Core's hosting diagnostics ("Request
/// starting HTTP/1.1 GET http://…/api/tags?api_key=sk-…"), routing and HTTP logging, YARP's forwarder ("Proxying to
/// …") and HttpClient's handlers. A key sent in a query string would otherwise be written to the log in full.
/// The levels are ordinary <c>Logging:LogLevel</c> settings in the lowest-priority configuration source, under
/// appsettings.json, environment variables and the command line, so an operator who wants those lines names the
/// category (<c>--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information</c>) and gets them back.
/// Settings written in code (<c>AddFilter</c>) would win over configuration for the same category instead.
/// </summary>
internal static class FrameworkLogLevels
{
    private static readonly Dictionary<string, string?> s_defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hosting.Diagnostics (request starting/finished), Routing, HttpLogging, and whatever else ASP.NET Core logs per
        // request; the level ASP.NET Core's own templates set in appsettings.json. Microsoft.Hosting.Lifetime ("Now
        // listening on", "Application started") is another category and stays at Information.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",

        // Yarp.ReverseProxy.Forwarder.HttpForwarder: "Proxying to http://ollama/api/tags?…" and the response status at
        // Information, and every forwarding failure as a Warning with its stack trace. The gateway logs those failures
        // itself, once per outage with a summary (UpstreamFailureLog), so YARP's own stay quiet below Error.
        ["Logging:LogLevel:Yarp"] = "Error",

        // IHttpClientFactory's handlers log each outgoing request's URL.
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    /// <summary>Adds the defaults under every configuration source the host already has or adds later.</summary>
    public static void AddTo(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = s_defaults });
}
