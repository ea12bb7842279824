using System.ClientModel;
using System.ClientModel.Primitives;
using OllamaGateway.Tests.Common;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace OllamaGateway.Tests.Functional;

/// <summary>
/// A real Prometheus server scrapes the real gateway as an operator would set it up (a key with <c>metrics: true</c> as
/// the bearer token, from a credentials file) and stores what the gateway counted; a key without the right is refused.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string AliceKey = "sk-alice-0123456789abcdef";
    private const string ScraperKey = "sk-scraper-0123456789abcdef";

    [Fact]
    public async Task Prometheus_ScrapesWithABearerToken_AndStoresTheGatewaysSeries()
    {
        await using var host = await GatewayTestHost.StartAsync(keysJson: $$"""
            {"keys": [{"name": "alice", "key": "{{AliceKey}}"}, {"name": "scraper", "key": "{{ScraperKey}}", "metrics": true}]}
            """);
        var options = new OpenAIClientOptions { Endpoint = new Uri(host.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) };
        await new ChatClient("llama3.2", new ApiKeyCredential(AliceKey), options).CompleteChatAsync([new UserChatMessage("Hello Prometheus")]);
        await new EmbeddingClient("nomic-embed-text", new ApiKeyCredential(AliceKey), options).GenerateEmbeddingsAsync(["one", "two"]);
        var exposition = await MetricsScrape.WaitForAsync(host.BaseAddress, ScraperKey, text =>
            MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/embeddings\",status=\"200\"}") == 1
            && MetricsScrape.Value(text, "ollama_gateway_requests_total{key=\"alice\",route=\"/v1/chat/completions\",status=\"200\"}") == 1);
        var outputTokens = MetricsScrape.Value(exposition, "ollama_gateway_tokens_total{key=\"alice\",model=\"llama3.2:latest\",type=\"output\"}");
        Assert.True(outputTokens > 0);

        using var directory = new TempDirectory();
        await using var prometheus = await PrometheusServer.StartAsync(host.BaseAddress, directory, ("gateway", ScraperKey), ("no-rights", AliceKey));

        // Both jobs scraped: the metrics key is let in, a key without the right is not.
        await prometheus.WaitForQueryAsync("up", samples =>
            samples.Any(s => Job(s.Labels) == "gateway" && s.Value == 1) && samples.Any(s => Job(s.Labels) == "no-rights" && s.Value == 0));

        var tokens = await prometheus.WaitForQueryAsync("ollama_gateway_tokens_total{job=\"gateway\",key=\"alice\",type=\"output\"}", samples => samples.Count > 0);
        Assert.Equal(outputTokens, Assert.Single(tokens).Value);
        Assert.Equal("llama3.2:latest", Assert.Single(tokens).Labels.GetProperty("model").GetString());
        await prometheus.WaitForQueryAsync("ollama_gateway_requests_total{job=\"gateway\",key=\"alice\",route=\"/v1/chat/completions\",status=\"200\"}", samples => samples.Count == 1 && samples[0].Value == 1);
        await prometheus.WaitForQueryAsync("gen_ai_server_request_duration_seconds_count{job=\"gateway\",gen_ai_operation_name=\"embeddings\"}", samples => samples.Count == 1 && samples[0].Value == 1);
        await prometheus.WaitForQueryAsync("ollama_gateway_open_streams{job=\"gateway\"}", samples => samples.Count == 1 && samples[0].Value == 0);

        // Prometheus's own view of the scrape: nothing was dropped as malformed.
        await prometheus.WaitForQueryAsync("scrape_samples_scraped{job=\"gateway\"}", samples => samples.Count == 1 && samples[0].Value > 0);
    }

    private static string? Job(System.Text.Json.JsonElement labels) => labels.GetProperty("job").GetString();
}
