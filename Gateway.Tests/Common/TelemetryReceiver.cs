using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// A small HTTP server on 127.0.0.1 standing in for an OpenTelemetry collector or Application Insights' ingestion
/// endpoint: it takes every POST, answers 200 and keeps what arrived (path, content type, body).
/// </summary>
internal sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<TelemetryPost> _posts;

    private TelemetryReceiver(WebApplication app, Channel<TelemetryPost> posts, Uri address)
    {
        _app = app;
        _posts = posts;
        Address = address;
    }

    /// <summary>The receiver's base address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Address { get; }

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var posts = Channel.CreateUnbounded<TelemetryPost>();
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            posts.Writer.TryWrite(new TelemetryPost(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.ContentType, context.Request.Headers.ContentEncoding.ToString(), body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (context.Request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true)
            {
                // An empty protobuf message is OTLP's whole success answer.
                context.Response.ContentType = "application/x-protobuf";
            }
            else
            {
                // Application Insights' track endpoint reports how many items it accepted.
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"itemsReceived":1,"itemsAccepted":1,"errors":[]}""");
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TelemetryReceiver(app, posts, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Waits for the first POST that <paramref name="match"/> accepts; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<TelemetryPost> WaitForAsync(Func<TelemetryPost, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var post in _posts.Reader.ReadAllAsync(deadline.Token))
            {
                if (match(post))
                {
                    return post;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"No matching telemetry arrived within {timeout}.");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a <see cref="TelemetryReceiver"/> took.</summary>
internal sealed record TelemetryPost(string Method, string Path, string? ContentType, string ContentEncoding, byte[] Body)
{
    /// <summary>Whether the body holds <paramref name="text"/> as UTF-8 bytes (protobuf writes strings that way).</summary>
    public bool Contains(string text) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}
