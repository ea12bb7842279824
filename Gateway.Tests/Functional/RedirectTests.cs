using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

public sealed class RedirectTests
{
    [Fact]
    public async Task UpstreamRedirect_IsNeverFollowed()
    {
        // An upstream that redirects everything to a management route, as Go's path cleaning would redirect.
        var pullHits = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var upstream = builder.Build();
        upstream.Run(context =>
        {
            if (context.Request.Path == "/api/pull")
            {
                Interlocked.Increment(ref pullHits);
            }

            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = "/api/pull";
            return Task.CompletedTask;
        });
        await upstream.StartAsync();

        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), $$"""{"keys":["{{GatewayTestHost.Key}}"]}""");
        await using var gateway = GatewayTestHost.BuildServer(upstream.Urls.First(), directory.PathOf("keys.json"));
        await gateway.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(gateway.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", GatewayTestHost.Key);

        using var tags = await client.GetAsync("api/tags");
        using var chat = await client.PostAsync("v1/chat/completions", new StringContent("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, tags.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, chat.StatusCode);
        Assert.Equal(0, pullHits);
        await gateway.StopAsync();
    }
}
