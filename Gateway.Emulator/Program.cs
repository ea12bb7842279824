using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OllamaGateway.Emulator;
using OllamaGateway.Emulator.Hosting;

// Standalone emulator for benchmarks:
//   dotnet run --project Gateway.Emulator -- --urls http://127.0.0.1:11434 --token-delay-ms 5 --chunks 256
// Settings can also come from configuration keys Emulator:TokenDelayMs, Emulator:ChunkCount, Emulator:Reply,
// Emulator:ResponseDelayMs and Emulator:EmbeddingDimensions (environment: Emulator__ChunkCount=256).
var switches = new Dictionary<string, string>
{
    ["--token-delay-ms"] = "Emulator:TokenDelayMs",
    ["--chunks"] = "Emulator:ChunkCount",
    ["--reply"] = "Emulator:Reply",
    ["--response-delay-ms"] = "Emulator:ResponseDelayMs",
    ["--embedding-dimensions"] = "Emulator:EmbeddingDimensions",
};

var options = new EmulatorOptions();
var state = new EmulatorState(options);
var app = EmulatorHost.Build(args, state, builder =>
{
    builder.Configuration.AddCommandLine(args, switches);
    if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
    {
        builder.WebHost.UseUrls("http://127.0.0.1:11434");
    }

    var section = builder.Configuration.GetSection("Emulator");
    if (int.TryParse(section["TokenDelayMs"], out var tokenDelay))
    {
        options.TokenDelay = TimeSpan.FromMilliseconds(tokenDelay);
    }

    if (int.TryParse(section["ResponseDelayMs"], out var responseDelay))
    {
        options.ResponseDelay = TimeSpan.FromMilliseconds(responseDelay);
    }

    if (int.TryParse(section["ChunkCount"], out var chunks))
    {
        options.ChunkCount = chunks;
    }

    if (int.TryParse(section["EmbeddingDimensions"], out var dimensions))
    {
        options.EmbeddingDimensions = dimensions;
    }

    if (section["Reply"] is { Length: > 0 } reply)
    {
        options.Reply = reply;
    }
});

await app.RunAsync();
