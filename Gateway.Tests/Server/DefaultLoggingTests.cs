using System.Net;
using System.Security.Cryptography;
using System.Text;
using OllamaGateway.Emulator;
using OllamaGateway.Tests.Common;
using OllamaGateway.Tests.Deployment;

namespace OllamaGateway.Tests.Server;

/// <summary>
/// Secrets reach the gateway in query strings, paths, headers and bodies, and none of them may reach its log or its
/// metrics. This runs the real server process as a user starts it (no logging settings, production environment),
/// reads everything it writes to stdout and stderr, and reads <c>GET /metrics</c> as Prometheus would.
/// </summary>
public sealed class DefaultLoggingTests
{
    private const string RightKey = "sk-right-key-in-query-0123456789";
    private const string WrongBearer = "sk-wrong-bearer-0123456789";
    private const string WrongXApiKey = "sk-wrong-x-api-key-0123456789";
    private const string WrongApiKey = "sk-wrong-api-key-0123456789";
    private const string PathSecret = "sk-secret-in-path-0123456789";
    private const string ModelPathSecret = "sk-secret-model-id-0123456789";
    private const string HeaderSecret = "secret-header-value-0123456789";
    private const string CookieSecret = "secret-cookie-value-0123456789";
    private const string ForwardedQuerySecret = "secret-forwarded-query-0123456789";
    private const string ModelBodySecret = "sk-secret-model-in-body-0123456789";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DefaultLoggingAndMetrics_CarryNoQueryStringPathHeaderOrBodySecret()
    {
        await using var emulator = await OllamaEmulator.StartAsync();
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys": [{"name": "probe", "hash": "sha256:{{Sha256Hex(RightKey)}}", "metrics": true}]}""");

        // The server exactly as built, started from the folder holding keys.json, with no logging settings at all.
        await using var gateway = GatewayProcess.Start(DotnetCli.HostPath, directory.Path,
            "exec", Path.Combine(AppContext.BaseDirectory, "Gateway.Server.dll"),
            "--urls", "http://127.0.0.1:0", $"--Gateway:OllamaUrl={emulator.BaseAddress.ToString().TrimEnd('/')}");
        var address = await gateway.WaitUntilListeningAsync(s_timeout);
        // No cookie container, so the Cookie header below is sent as written.
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = s_timeout };

        // The right key, but in the query string: refused, and the URL is what the framework would log.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, $"/api/tags?api_key={RightKey}"));

        // Wrong keys in each header the gateway reads.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/api/tags", ("Authorization", $"Bearer {WrongBearer}")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/api/tags", ("x-api-key", WrongXApiKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/api/tags", ("api-key", WrongApiKey)));

        // Secrets in paths, refused without a key and answered with one.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, $"/{PathSecret}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Get, $"/api/{PathSecret}", ("Authorization", $"Bearer {RightKey}")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Get, $"/v1/models/{ModelPathSecret}", ("x-api-key", RightKey)));

        // A request that is forwarded to Ollama, with a query string and other headers carrying secrets.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, HttpMethod.Get, $"/api/tags?token={ForwardedQuerySecret}",
            ("api-key", RightKey), ("X-Custom-Token", HeaderSecret), ("Cookie", $"session={CookieSecret}")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, HttpMethod.Get, $"/v1/models?token={ForwardedQuerySecret}",
            ("Authorization", $"Bearer {RightKey}"), ("X-Custom-Token", HeaderSecret)));
        Assert.Contains(emulator.Requests, recorded => recorded.Path == "/api/tags");

        // A model name that is a secret, native and translated: Ollama does not have it, so it must not become a label.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Post, "/api/chat", ModelBody(), ("Authorization", $"Bearer {RightKey}")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Post, "/v1/chat/completions", ModelBody(), ("Authorization", $"Bearer {RightKey}")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Post, "/v1/embeddings", $$"""{"model":"{{ModelBodySecret}}","input":"x"}""", ("x-api-key", RightKey)));

        // The metrics, once every request above is counted (each is published just after its answer).
        var metrics = await MetricsScrape.WaitForAsync(address, RightKey, text =>
            MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"probe\",route=\"/v1/embeddings\",status=\"404\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"-\",route=\"unknown\",status=\"401\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"-\",route=\"/api/tags\",status=\"401\"}") == 4);
        Assert.Equal(5, MetricsScrape.Value(metrics, "ollama_gateway_refusals_total{key=\"-\",reason=\"invalid_key\"}") + MetricsScrape.Value(metrics, "ollama_gateway_refusals_total{key=\"-\",reason=\"missing_key\"}"));

        Assert.True(await gateway.StopAsync(s_timeout), $"The gateway did not stop:\n{gateway.Output}");
        var output = gateway.Output;

        // Logging is on at its default level (the gateway's own refusals are there), and no secret is.
        Assert.Contains("Refused a request without a valid key", output, StringComparison.Ordinal);
        foreach (var secret in (string[])[RightKey, WrongBearer, WrongXApiKey, WrongApiKey, PathSecret, ModelPathSecret, HeaderSecret, CookieSecret, ForwardedQuerySecret])
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"'{secret}' was written to the log:\n{output}");
        }

        foreach (var secret in (string[])[RightKey, WrongBearer, WrongXApiKey, WrongApiKey, PathSecret, ModelPathSecret, HeaderSecret, CookieSecret, ForwardedQuerySecret, ModelBodySecret])
        {
            Assert.False(metrics.Contains(secret, StringComparison.Ordinal), $"'{secret}' is in the metrics:\n{metrics}");
        }

        // The usage ledger (written beside keys.json, drained by the graceful stop) keeps key names and route patterns,
        // never a key, a query string, a header or a client's path: read its files as bytes, write-ahead log included.
        var ledger = Directory.GetFiles(directory.Path, "usage.db*").Select(File.ReadAllBytes).SelectMany(bytes => bytes).ToArray();
        Assert.NotEmpty(ledger);
        Assert.True(ledger.AsSpan().IndexOf("probe"u8) >= 0, "The ledger holds no row of the key's requests.");
        foreach (var secret in (string[])[RightKey, WrongBearer, WrongXApiKey, WrongApiKey, PathSecret, ModelPathSecret, HeaderSecret, CookieSecret, ForwardedQuerySecret])
        {
            Assert.False(ledger.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"'{secret}' is in the usage ledger");
        }
    }

    private static Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string pathAndQuery, params (string Name, string Value)[] headers) =>
        StatusAsync(client, method, pathAndQuery, null, headers);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string pathAndQuery, string? jsonBody, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(pathAndQuery, UriKind.Relative));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string ModelBody() => $$"""{"model":"{{ModelBodySecret}}","messages":[{"role":"user","content":"hi"}]}""";

    private static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
