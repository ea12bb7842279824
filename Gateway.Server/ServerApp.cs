using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OllamaGateway.Hosting;
using OllamaGateway.Server.Hosting;
using OllamaGateway.Server.Logging;
using OllamaGateway.Server.Tls;

namespace OllamaGateway.Server;

/// <summary>Builds the standalone Kestrel host around the shared Core. Tests build it the same way.</summary>
internal static class ServerApp
{
    /// <summary>Where the gateway listens when nothing says otherwise: port 8080 on every interface, like the proxy it replaces.</summary>
    public const string DefaultUrls = "http://*:8080";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // The slim builder pins the console to its simple formatter; the full console logger takes every formatter, and
        // binding Logging:Console once more, last, lets configuration choose: FormatterName=json makes each line one
        // JSON object.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));

        // The access log is the one category written per request: it goes to the console in batches, formatted as
        // the console formats it, instead of a system call and a thread wake per line.
        builder.Logging.AddFilter<ConsoleLoggerProvider>(AccessLogConsoleProvider.Category, LogLevel.None);
        builder.Services.AddSingleton<ILoggerProvider, AccessLogConsoleProvider>();
        if (!HasExplicitEndpoints(builder.Configuration))
        {
            builder.WebHost.UseUrls(ServerTls.DefaultUrls(builder.Configuration, builder.Environment.ContentRootPath) ?? DefaultUrls);
        }

        builder.WebHost.ConfigureKestrel(KestrelHardening.Apply);
        InlineIo.Apply(builder.WebHost);
        builder.AddServerTls();
        builder.AddGateway();
        MetricsExport.AddTo(builder);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapGateway();
        return app;
    }

    private static bool HasExplicitEndpoints(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
