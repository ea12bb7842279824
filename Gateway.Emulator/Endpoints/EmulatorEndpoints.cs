using Microsoft.AspNetCore.Routing;
using OllamaGateway.Emulator.Hosting;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>Maps every Ollama route the emulator answers.</summary>
internal static class EmulatorEndpoints
{
    public static void MapOllama(this IEndpointRouteBuilder routes, EmulatorState state)
    {
        InfoEndpoints.Map(routes, state);
        CompletionEndpoints.Map(routes, state);
        EmbedEndpoints.Map(routes, state);
        ManagementEndpoints.Map(routes, state);
    }
}
