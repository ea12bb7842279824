using System.Text;

namespace OllamaGateway.Tests.Common;

/// <summary>Request bodies the several-servers tests send.</summary>
internal static class UpstreamRequests
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Chat(string model, bool stream = false) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"stream":{{(stream ? "true" : "false")}}}""";
}
