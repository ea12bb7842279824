using System.Net;
using System.Security.Cryptography;
using System.Text;
using Yarp.ReverseProxy.Forwarder;

// bench/bare: a bare YARP forwarder with a bearer-token check, the benchmark's "bare stack" baseline.
//   BareProxy --urls http://127.0.0.1:PORT --upstream http://127.0.0.1:UPSTREAM --key KEY
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpForwarder();
var app = builder.Build();

var upstream = app.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream is required");
var expected = Encoding.UTF8.GetBytes("Bearer " + (app.Configuration["key"] ?? throw new InvalidOperationException("--key is required")));
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ConnectTimeout = TimeSpan.FromSeconds(10),
    EnableMultipleHttp2Connections = true,
});
var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10), AllowResponseBuffering = false };
var transformer = new DropCredentials();

app.Run(async context =>
{
    var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
    if (!CryptographicOperations.FixedTimeEquals(presented, expected))
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return;
    }

    await forwarder.SendAsync(context, upstream, invoker, config, transformer);
});

app.Run();

/// <summary>YARP's default header copy, without the client's key.</summary>
internal sealed class DropCredentials : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Authorization = null;
    }
}
