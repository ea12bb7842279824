using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OllamaGateway.Emulator.Endpoints;
using OllamaGateway.Emulator.Recording;

namespace OllamaGateway.Emulator.Hosting;

/// <summary>Builds the Kestrel app used both in-process (tests) and by the standalone executable.</summary>
internal static class EmulatorHost
{
    public static WebApplication Build(string[] args, EmulatorState state, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Go's net/http sends no Server header.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RecordingMiddleware>(state.Recorder);
        app.UseMiddleware<StatusTextMiddleware>();
        app.UseMiddleware<FaultMiddleware>(state);
        app.MapOllama(state);
        return app;
    }
}
