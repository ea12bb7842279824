using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OllamaGateway.Hosting;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// The Functions side without the Functions host (which cannot run here): the same <c>AddGateway()</c> the
/// worker's Program.cs calls, on a generic host builder, and function classes invoked with a real
/// <see cref="DefaultHttpContext"/> as the worker's ASP.NET Core integration would hand them.
/// </summary>
internal sealed class FunctionsHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private FunctionsHarness(IHost host)
    {
        _host = host;
        Pipeline = host.Services.GetRequiredService<GatewayPipeline>();
    }

    public GatewayPipeline Pipeline { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<FunctionsHarness> StartAsync(string ollamaUrl, string keysFile) =>
        StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:OllamaUrl"] = ollamaUrl,
            ["Gateway:KeysFile"] = keysFile,
        });

    /// <summary>The worker with these settings (as app settings would give them).</summary>
    public static async Task<FunctionsHarness> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddGateway();
        var host = builder.Build();
        await host.StartAsync();
        return new FunctionsHarness(host);
    }

    public static DefaultHttpContext CreateContext(string method, string path, string? key = null, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("gateway.example:7071");
        context.Request.Path = path;
        if (key is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {key}";
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static string ResponseText(HttpContext context)
    {
        var body = (MemoryStream)context.Response.Body;
        return Encoding.UTF8.GetString(body.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
